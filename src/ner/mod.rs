//! Named-entity recognition: model folders, word-piece windows, batched tagging.
pub mod cut_names;
pub mod encode;
pub mod fast;
pub mod model;
pub mod onnx;
pub mod predict;
pub mod tag;
