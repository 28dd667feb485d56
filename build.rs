//! Build steps: gives the binary an rpath to the libtorch that torch-sys
//! linked against, so `target/release/newsner` runs without LD_LIBRARY_PATH;
//! and unpacks the gazetteer (committed gzipped) so the binary holds it as
//! plain text, ready to use without a decompression step at every start.
use std::io::Read;

fn main() {
    if let Ok(dir) = std::env::var("DEP_TCH_LIBTORCH_LIB") {
        println!("cargo:rustc-link-arg=-Wl,-rpath,{dir}");
    }
    println!("cargo:rerun-if-env-changed=DEP_TCH_LIBTORCH_LIB");

    let gz = "corpus/gazetteer/places.tsv.gz";
    println!("cargo:rerun-if-changed={gz}");
    let mut text = Vec::new();
    flate2::read::GzDecoder::new(std::fs::File::open(gz).expect("the gazetteer is in the source tree"))
        .read_to_end(&mut text)
        .expect("corpus/gazetteer/places.tsv.gz is valid gzip");
    let out = std::path::Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("places.tsv");
    std::fs::write(out, text).expect("OUT_DIR is writable");
}
