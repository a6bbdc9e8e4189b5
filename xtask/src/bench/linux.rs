//! Debian 12's Linux kernel for `cargo xtask bench`: the bzImage from the
//! package `linux-image-amd64` depends on, fetched with `apt-get download`
//! (nothing is installed) and unpacked into `target/forkline/linux/`.

use crate::{paths, util};
use anyhow::{Context, Result, bail};
use std::path::PathBuf;
use std::process::{Command, Stdio};

/// The Debian metapackage that names the current 6.1 kernel package.
pub const METAPACKAGE: &str = "linux-image-amd64";

/// A kernel ready to boot: the bzImage and the package it came from.
pub struct Kernel {
    pub vmlinuz: PathBuf,
    /// e.g. `linux-image-6.1.0-56-amd64 6.1.192-2`.
    pub package: String,
}

/// Where the kernel is kept.
pub fn dir() -> PathBuf {
    paths::out().join("linux")
}

/// The kernel, fetched on first use (announced, never silent).
pub fn kernel() -> Result<Kernel> {
    let dir = dir();
    let (vmlinuz, stamp) = (dir.join("vmlinuz"), dir.join("PACKAGE"));
    if vmlinuz.is_file() && stamp.is_file() {
        let package = std::fs::read_to_string(&stamp)?.trim().to_string();
        return Ok(Kernel { vmlinuz, package });
    }
    for tool in ["apt-get", "apt-cache", "dpkg-deb", "tar"] {
        if !util::have(tool) {
            bail!("bench needs `{tool}` (a Debian machine) to fetch Linux");
        }
    }
    std::fs::create_dir_all(&dir)?;
    let name = kernel_package()?;
    eprintln!(
        "bench: fetching Debian's {name} (apt-get download into {}; nothing is installed)",
        dir.display()
    );
    let mut download = Command::new("apt-get");
    download.current_dir(&dir).args(["download", "-q", &name]);
    if util::output(&mut download).is_err() {
        // A fresh machine may have empty package lists.
        update_lists()?;
        util::output(&mut download)?;
    }
    let deb = find_deb(&dir, &name)?;
    extract_boot(&deb, &dir)?;
    let version = deb_version(&deb, &name);
    let image = std::fs::read_dir(dir.join("boot"))?
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .find(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("vmlinuz-"))
        })
        .context("the package holds no /boot/vmlinuz-*")?;
    std::fs::copy(&image, &vmlinuz)?;
    let package = format!("{name} {version}");
    std::fs::write(&stamp, format!("{package}\n"))?;
    std::fs::remove_file(&deb)?;
    Ok(Kernel { vmlinuz, package })
}

/// The versioned package `linux-image-amd64` depends on.
fn kernel_package() -> Result<String> {
    let ask = || {
        Command::new("apt-cache")
            .args(["depends", METAPACKAGE])
            .output()
            .ok()
            .and_then(|o| parse_depends(&String::from_utf8_lossy(&o.stdout)))
    };
    if let Some(p) = ask() {
        return Ok(p);
    }
    update_lists()?;
    ask().with_context(|| format!("apt-cache knows no {METAPACKAGE}"))
}

/// `Depends: linux-image-6.1.0-56-amd64` → that package name.
pub fn parse_depends(text: &str) -> Option<String> {
    text.lines()
        .filter_map(|l| l.trim().strip_prefix("Depends: "))
        .map(|p| p.trim().to_string())
        .find(|p| p.starts_with("linux-image-") && !p.starts_with('<'))
}

/// `apt-get update`, as root only; otherwise say what to run.
fn update_lists() -> Result<()> {
    if !crate::setup::is_root() {
        bail!("Debian's package lists are empty; run `sudo apt-get update` first");
    }
    eprintln!("bench: apt-get update (the package lists are empty or stale)");
    util::run(Command::new("apt-get").args(["update", "-q"]))
}

/// The downloaded `NAME_VERSION_amd64.deb`.
fn find_deb(dir: &std::path::Path, name: &str) -> Result<PathBuf> {
    std::fs::read_dir(dir)?
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .find(|p| {
            let f = p.file_name().unwrap_or_default().to_string_lossy();
            f.starts_with(&format!("{name}_")) && f.ends_with(".deb")
        })
        .with_context(|| format!("apt-get download left no {name}_*.deb"))
}

/// `NAME_VERSION_ARCH.deb` → VERSION.
fn deb_version(deb: &std::path::Path, name: &str) -> String {
    let f = deb.file_name().unwrap_or_default().to_string_lossy();
    f.strip_prefix(&format!("{name}_"))
        .and_then(|r| r.split('_').next())
        .unwrap_or("?")
        .to_string()
}

/// Unpack only `./boot/` (the modules would be ~400 MiB).
fn extract_boot(deb: &std::path::Path, dir: &std::path::Path) -> Result<()> {
    let mut dpkg = Command::new("dpkg-deb")
        .arg("--fsys-tarfile")
        .arg(deb)
        .stdout(Stdio::piped())
        .spawn()
        .context("cannot start dpkg-deb")?;
    let status = Command::new("tar")
        .current_dir(dir)
        .args(["-x", "--wildcards", "./boot/*"])
        .stdin(dpkg.stdout.take().unwrap())
        .status()
        .context("cannot start tar")?;
    let dpkg_status = dpkg.wait()?;
    if !status.success() || !dpkg_status.success() {
        bail!("unpacking {} failed", deb.display());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn depends_line() {
        let t = "linux-image-amd64\n  Depends: linux-image-6.1.0-56-amd64\n";
        assert_eq!(
            super::parse_depends(t).as_deref(),
            Some("linux-image-6.1.0-56-amd64")
        );
        assert_eq!(super::parse_depends("linux-image-amd64\n"), None);
    }
}
