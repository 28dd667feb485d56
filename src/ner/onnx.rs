//! The int8 encoder forward pass through ONNX Runtime.
//!
//! libtorch's dynamic quantisation leaves much of the time in fp32 matmuls,
//! activation requantisation and dispatch; ONNX Runtime's int8 kernels
//! (fused attention, GELU and skip-LayerNorm, per-channel weights) run the
//! same batches markedly faster on CPU. Only the forward pass moves:
//! word pieces, windows, batches and decoding are the ones libtorch sees.
//!
//! The graph is `model.int8.onnx` in the model folder, written from the
//! folder's safetensors by `scripts/export-onnx.sh`. ONNX Runtime itself is
//! loaded at run time from the `onnxruntime` wheel that `scripts/setup.sh`
//! installs next to libtorch, found the way libtorch is (no environment
//! needed); where either is missing the model runs libtorch's int8 and
//! says why.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use ort::session::builder::{GraphOptimizationLevel, PrepackedWeights};
use ort::session::Session;
use ort::value::TensorRef;
use tch::Tensor;

use crate::error::{Error, Result};

/// The graph's file name in a model folder.
pub const ONNX_FILE: &str = "model.int8.onnx";

/// Set to a `libonnxruntime.so` to use another ONNX Runtime (API 31 or later).
pub const LIBRARY_VARIABLE: &str = "NEWSNER_ONNXRUNTIME";

/// Folders searched for `libonnxruntime.so*` after the binary's own
/// `../lib`, baked in by build.rs: the onnxruntime wheel beside the libtorch
/// the binary was linked against, then the project's own `.venv`.
const LIBRARY_DIRS: &str = env!("NEWSNER_ONNXRUNTIME_DIRS");

/// The ONNX Runtime library this binary loads, or why there is none.
///
/// `../lib` beside the executable comes first: it is where `make dist` puts
/// libtorch and ONNX Runtime, and a relocated copy (a Spark `--archives`
/// unpack, a container, a pod) has neither its build's paths nor, often, an
/// environment. In a build tree that folder holds no ONNX Runtime and the
/// build's own folders follow.
pub fn library() -> Result<PathBuf> {
    if let Some(path) = std::env::var_os(LIBRARY_VARIABLE) {
        let path = PathBuf::from(path);
        return if path.is_file() {
            Ok(path)
        } else {
            Err(Error::Model(format!("{LIBRARY_VARIABLE}={} is not a file", path.display())))
        };
    }
    let beside = std::env::current_exe().ok().and_then(|exe| exe.parent().map(|bin| bin.join("../lib")));
    let mut dirs: Vec<String> = beside.map(|d| d.display().to_string()).into_iter().collect();
    dirs.extend(LIBRARY_DIRS.split('\n').filter(|d| !d.is_empty()).map(str::to_string));
    for dir in &dirs {
        let Ok(entries) = std::fs::read_dir(dir) else { continue };
        let mut found: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with("libonnxruntime.so")))
            .collect();
        found.sort();
        if let Some(lib) = found.pop() {
            return Ok(lib);
        }
    }
    Err(Error::Model(format!(
        "ONNX Runtime is not installed (no libonnxruntime.so in {}; scripts/setup.sh installs it)",
        dirs.join(" or ")
    )))
}

/// Loads ONNX Runtime once per process; later calls get the first answer.
fn runtime() -> Result<&'static ort::environment::Environment> {
    static RUNTIME: OnceLock<std::result::Result<ort::environment::Environment, String>> = OnceLock::new();
    let loaded = RUNTIME.get_or_init(|| {
        let lib = library().map_err(|e| e.to_string())?;
        let builder = ort::init_from(&lib).map_err(|e| format!("cannot load {}: {e}", lib.display()))?;
        builder.with_name("newsner").build().map_err(|e| format!("{}: {e}", lib.display()))
    });
    loaded.as_ref().map_err(|e| Error::Model(e.clone()))
}

/// Whether ONNX Runtime loads in this process (the tests that need it are `#[ignore = "needs onnxruntime"]`).
pub fn available() -> Result<()> {
    runtime().map(|_| ())
}

/// Sessions on one graph. A session runs one batch at a time, so with
/// batches side by side (one libtorch thread, the default) each rayon
/// thread gets its own single-threaded session, as each gets its own
/// libtorch forward; otherwise one session spreads each operator over the
/// threads.
pub struct OnnxEncoder {
    sessions: Vec<Mutex<Session>>,
    /// The int8 weights packed for the CPU kernels, once for all sessions.
    _prepacked: PrepackedWeights,
    labels: usize,
    file: PathBuf,
}

impl OnnxEncoder {
    /// The graph of model folder `dir`, with `labels` output classes.
    pub fn load(dir: &Path, labels: usize) -> Result<Self> {
        let file = dir.join(ONNX_FILE);
        if !file.is_file() {
            return Err(Error::Model(format!("{} has no {ONNX_FILE} (scripts/export-onnx.sh writes it)", dir.display())));
        }
        let environment = runtime()?;
        let fail = |e: String| Error::Model(format!("{}: {e}", file.display()));
        let op_threads = tch::get_num_threads().max(1) as usize;
        let (count, intra) = if op_threads <= 1 { (rayon::current_num_threads().max(1), 1) } else { (1, op_threads) };
        let prepacked = PrepackedWeights::new();
        let sessions = (0..count)
            .map(|_| {
                let builder = Session::builder(environment).map_err(|e| fail(e.to_string()))?;
                let builder = builder.with_optimization_level(GraphOptimizationLevel::All).map_err(|e| fail(e.to_string()))?;
                let builder = builder.with_intra_threads(intra).map_err(|e| fail(e.to_string()))?;
                let builder = builder.with_inter_threads(1).map_err(|e| fail(e.to_string()))?;
                let builder = builder.with_prepacked_weights(&prepacked).map_err(|e| fail(e.to_string()))?;
                // a memory pattern is planned per input shape, and batches come in
                // every (rows, length): each would be planned and kept for nothing
                let mut builder = builder.with_memory_pattern(false).map_err(|e| fail(e.to_string()))?;
                builder
                    .commit_from_file(&file)
                    .map(Mutex::new)
                    .map_err(|e| fail(e.to_string()))
            })
            .collect::<Result<Vec<_>>>()?;
        let encoder = OnnxEncoder { sessions, _prepacked: prepacked, labels, file };
        encoder.check_outputs()?;
        Ok(encoder)
    }

    /// The file the sessions run.
    pub fn file(&self) -> &Path {
        &self.file
    }

    /// A graph written for another label set would be read off as garbage:
    /// one word through it must give one row per label.
    fn check_outputs(&self) -> Result<()> {
        let one = Tensor::from_slice(&[1i64]).view([1, 1]);
        let logits = self.logits(&one, &one, &Tensor::from_slice(&[0i64]).view([1, 1]))?;
        let got = logits.size();
        if got != [1, 1, self.labels as i64] {
            return Err(Error::Model(format!(
                "{}: gives logits of shape {got:?} for one word, config.json has {} labels",
                self.file.display(),
                self.labels
            )));
        }
        Ok(())
    }

    /// Logits `[batch, seq, labels]` for word-piece ids, mask and casing
    /// classes (`[batch, seq]` each), as the libtorch encoder returns them.
    pub fn logits(&self, ids: &Tensor, mask: &Tensor, cases: &Tensor) -> Result<Tensor> {
        let (b, l) = ids.size2()?;
        let flat = |t: &Tensor| -> Result<Vec<i64>> { Ok(Vec::<i64>::try_from(t.flatten(0, -1))?) };
        let (ids, mask, cases) = (flat(ids)?, flat(mask)?, flat(cases)?);
        let shape = [b as usize, l as usize];
        let fail = |e: ort::Error| Error::Model(format!("{}: {e}", self.file.display()));
        let slot = rayon::current_thread_index().unwrap_or(0) % self.sessions.len();
        let mut session = self.sessions[slot].lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let inputs = ort::inputs![
            "input_ids" => TensorRef::from_array_view((shape, ids.as_slice())).map_err(fail)?,
            "attention_mask" => TensorRef::from_array_view((shape, mask.as_slice())).map_err(fail)?,
            "casing" => TensorRef::from_array_view((shape, cases.as_slice())).map_err(fail)?,
        ];
        let outputs = session.run(inputs).map_err(fail)?;
        let (out_shape, data) = outputs["logits"].try_extract_tensor::<f32>().map_err(fail)?;
        let dims: Vec<i64> = out_shape.iter().copied().collect();
        Ok(Tensor::from_slice(data).view(dims.as_slice()))
    }
}
