//! Library errors. The CLI turns them into messages and exit codes.
use thiserror::Error;

#[derive(Debug, Error)]
pub enum Error {
    #[error("model: {0}")]
    Model(String),
    #[error("input {path}: {message}")]
    Input { path: String, message: String },
    /// An output file, or the resume record beside it, could not be written
    /// or read back.
    #[error("output {path}: {message}")]
    Output { path: String, message: String },
    #[error("data {path}:{line}: {message}")]
    Data { path: String, line: usize, message: String },
    #[error("{0}")]
    Usage(String),
    /// A list of stages in which a stage reads what no earlier stage adds.
    #[error("pipeline: {0}")]
    Pipeline(String),
    /// A temporary work file (merge partitions) could not be written or read
    /// back: usually a full disk, so the message names the folder to check.
    #[error("work file {path}: {message}")]
    Work { path: String, message: String },
    #[error(transparent)]
    Io(#[from] std::io::Error),
    #[error("torch: {0}")]
    Torch(#[from] tch::TchError),
}

pub type Result<T> = std::result::Result<T, Error>;
