//! Test-only helpers for the unit tests that need something outside the
//! repository. Such a test is `#[ignore = "needs …"]` with its reason
//! (scripts/test.sh, run by `make test`, runs it where the prerequisite is
//! there) and fails loudly, never passes, when run without it.

use std::path::PathBuf;
use std::process::Command;

/// The developers' data folder: `$NEWSNER_SHARED`, or `../shared` beside
/// the checkout (scripts/test.sh checks the same place).
pub fn shared_dir() -> PathBuf {
    std::env::var_os("NEWSNER_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared"))
}

/// The shared data folder, which must hold `what`; fails the test when it does not.
pub fn shared(what: &str) -> PathBuf {
    let p = shared_dir();
    assert!(
        p.join(what).exists(),
        "this test needs {}: it is absent (../shared exists only for developers and CI; set NEWSNER_SHARED to point elsewhere)",
        p.join(what).display()
    );
    p
}

/// Fails the test when python3 cannot be started.
pub fn python3() {
    let ok = Command::new("python3").arg("--version").output().is_ok_and(|o| o.status.success());
    assert!(ok, "this test needs python3, which cannot be started");
}
