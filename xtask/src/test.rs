//! `cargo xtask test`: build everything, run the host unit tests and the
//! QEMU tests (the `tests/` package), and end with one summary line.

use crate::{build, paths, util};
use anyhow::{Context, Result};
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};

/// Returns whether every test passed.
pub fn test(filter: Option<&str>) -> Result<bool> {
    build::build_all()?;
    let mut cargo = Command::new(std::env::var("CARGO").unwrap_or("cargo".into()));
    cargo.current_dir(paths::root());
    cargo.args(["test", "--workspace", "--no-fail-fast"]);
    for g in guest_packages()? {
        cargo.args(["--exclude", &g]);
    }
    if let Some(f) = filter {
        cargo.args(["--", f]);
    }
    let (passed, failed, ok) = run_counting(&mut cargo)?;
    println!("{passed} passed, {failed} failed");
    Ok(ok && failed == 0)
}

/// Workspace packages marked `[package.metadata.forkline] guest = true`:
/// they build for Forkline's targets, not the host, so `cargo test` skips them.
pub fn guest_packages() -> Result<Vec<String>> {
    let out = util::output(
        Command::new(std::env::var("CARGO").unwrap_or("cargo".into()))
            .current_dir(paths::root())
            .args(["metadata", "--no-deps", "--format-version", "1"]),
    )?;
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout).context("cargo metadata")?;
    Ok(meta["packages"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|p| p["metadata"]["forkline"]["guest"].as_bool() == Some(true))
        .filter_map(|p| p["name"].as_str().map(String::from))
        .collect())
}

/// Run `cargo test`, echoing its output and adding up libtest's
/// `test result: … N passed; M failed` lines.
fn run_counting(cargo: &mut Command) -> Result<(u64, u64, bool)> {
    let mut child = cargo
        .stdout(Stdio::piped())
        .spawn()
        .context("cannot start cargo test")?;
    let (mut passed, mut failed) = (0, 0);
    let mut out = std::io::stdout();
    for line in BufReader::new(child.stdout.take().unwrap()).lines() {
        let line = line?;
        writeln!(out, "{line}")?;
        if let Some((p, f)) = parse_result(&line) {
            passed += p;
            failed += f;
        }
    }
    let status = child.wait()?;
    Ok((passed, failed, status.success()))
}

fn parse_result(line: &str) -> Option<(u64, u64)> {
    let rest = line.strip_prefix("test result: ")?;
    let count = |word: &str| -> Option<u64> {
        rest.split(';').find_map(|part| {
            let part = part.trim();
            let n = part.strip_suffix(word)?.trim();
            n.rsplit(' ').next()?.parse().ok()
        })
    };
    Some((count("passed")?, count("failed")?))
}

#[cfg(test)]
mod tests {
    #[test]
    fn libtest_summary() {
        let l = "test result: ok. 12 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out";
        assert_eq!(super::parse_result(l), Some((12, 1)));
        assert_eq!(super::parse_result("running 3 tests"), None);
    }
}
