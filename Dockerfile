# newsner in a container: Debian slim and the relocatable distribution.
#
#   make dist                       # dist/newsner-0.1.0-linux-x86_64.tar.gz
#   docker build -t newsner:0.1.0 .
#   docker run --rm -v "$PWD:/data" newsner:0.1.0 extract /data/articles.jsonl -o /data/annotated.jsonl
#
# The image for the Kubernetes Jobs in docs/kubernetes/. For Spark executors,
# ship the tarball with --archives instead (docs/spark), or copy the unpacked
# distribution into your Spark image:
#   COPY --from=newsner:0.1.0 /opt/newsner-0.1.0-linux-x86_64 /opt/newsner
# and pass --newsner /opt/newsner/bin/newsner. The binary finds libtorch
# (lib/) and its models (models/) from its own location, so it needs no
# environment variable and may live at any path. The .dockerignore sends only
# the tarball to the build, never the checkout.
FROM debian:12-slim
ARG VERSION=0.1.0
# libtorch needs libstdc++ and libgcc_s, which the slim image already holds;
# everything else (libtorch, its OpenMP, the models) is in the tarball.
ADD dist/newsner-${VERSION}-linux-x86_64.tar.gz /opt/
RUN ln -s /opt/newsner-${VERSION}-linux-x86_64/bin/newsner /usr/local/bin/newsner \
 && newsner --version
WORKDIR /data
ENTRYPOINT ["newsner"]
CMD ["--help"]
