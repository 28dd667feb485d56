//! Build steps: gives the binary a RUNPATH of `$ORIGIN/../lib` (the layout of
//! the relocatable distribution `make dist` builds: bin/newsner beside lib/)
//! and then the libtorch that torch-sys linked against, so both the dist copy
//! and `target/release/newsner` run without LD_LIBRARY_PATH (`make dist`
//! drops the second, absolute entry from its copy); tells it where the
//! onnxruntime wheel lies beside that libtorch (ONNX Runtime is opened at run
//! time, so it needs a folder, not an rpath; the dist's lib/ is tried first);
//! and unpacks the gazetteer (committed gzipped) so the binary holds it as
//! plain text, ready to use without a decompression step at every start.
use std::io::Read;

fn main() {
    if let Ok(dir) = std::env::var("DEP_TCH_LIBTORCH_LIB") {
        println!("cargo:rustc-link-arg=-Wl,--enable-new-dtags,-rpath,$ORIGIN/../lib:{dir}");
    }
    println!("cargo:rerun-if-env-changed=DEP_TCH_LIBTORCH_LIB");
    println!("cargo:rustc-env=NEWSNER_ONNXRUNTIME_DIRS={}", onnxruntime_dirs().join("\n"));

    let gz = "corpus/gazetteer/places.tsv.gz";
    println!("cargo:rerun-if-changed={gz}");
    let mut text = Vec::new();
    flate2::read::GzDecoder::new(std::fs::File::open(gz).expect("the gazetteer is in the source tree"))
        .read_to_end(&mut text)
        .expect("corpus/gazetteer/places.tsv.gz is valid gzip");
    let out = std::path::Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("places.tsv");
    std::fs::write(out, text).expect("OUT_DIR is writable");
}

/// Where `libonnxruntime.so` may lie: the onnxruntime package in the
/// site-packages whose torch/lib torch-sys linked, then in the project's
/// `.venv` (for a user's own LIBTORCH). Searched in this order at run time.
fn onnxruntime_dirs() -> Vec<String> {
    let mut dirs = Vec::new();
    if let Ok(torch_lib) = std::env::var("DEP_TCH_LIBTORCH_LIB") {
        // .../site-packages/torch/lib -> .../site-packages/onnxruntime/capi
        if let Some(site) = std::path::Path::new(&torch_lib).parent().and_then(|torch| torch.parent()) {
            dirs.push(site.join("onnxruntime/capi"));
        }
    }
    let venv_lib = std::path::Path::new(&std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets it")).join(".venv/lib");
    if let Ok(entries) = std::fs::read_dir(&venv_lib) {
        let mut pythons: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        pythons.sort();
        dirs.extend(pythons.into_iter().map(|p| p.join("site-packages/onnxruntime/capi")));
    }
    let mut out: Vec<String> = Vec::new();
    for d in dirs {
        let d = std::fs::canonicalize(&d).unwrap_or(d).display().to_string();
        if !out.contains(&d) {
            out.push(d);
        }
    }
    out
}
