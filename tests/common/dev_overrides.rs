//! The CLI configuration that makes Terraform and OpenTofu take the provider from a
//! folder, as built. `scripts/lib.sh`'s `write_dev_overrides` is the one place that knows
//! its shape; the tests and the benchmark call it (the benchmark through `#[path]`).

use std::io;
use std::path::Path;
use std::process::Command;

/// Writes to `file` a CLI configuration whose dev_overrides point at `dir`.
pub fn write_dev_overrides(file: &Path, dir: &Path) -> io::Result<()> {
    let lib = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/lib.sh");
    let status = Command::new("bash")
        .arg("-c")
        .arg(r#". "$0" && write_dev_overrides "$1" "$2""#)
        .arg(&lib)
        .arg(file)
        .arg(dir)
        .status()?;
    if status.success() {
        Ok(())
    } else {
        Err(io::Error::other(format!(
            "{} write_dev_overrides failed: {status}",
            lib.display()
        )))
    }
}
