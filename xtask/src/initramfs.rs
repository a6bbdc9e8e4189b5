//! The initramfs: a `cpio -H newc` archive of the example programs, test
//! programs and any `--with HOSTFILE[:GUESTPATH]` files.

use anyhow::{Context, Result, bail};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// A file to place in the image: guest path (absolute) and host source.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Member {
    pub guest: String,
    pub host: PathBuf,
}

/// Parse `--with` words: `HOSTFILE` goes to `/bin/NAME`, `HOSTFILE:GUESTPATH`
/// where told.
pub fn parse_with(words: &[String]) -> Result<Vec<Member>> {
    words
        .iter()
        .map(|w| {
            let (host, guest) = match w.split_once(':') {
                Some((h, g)) => (PathBuf::from(h), g.to_string()),
                None => {
                    let h = PathBuf::from(w);
                    let name = h
                        .file_name()
                        .with_context(|| format!("--with {w}: not a file name"))?
                        .to_string_lossy()
                        .into_owned();
                    (h, format!("/bin/{name}"))
                }
            };
            if !guest.starts_with('/') {
                bail!("--with {w}: the guest path must be absolute");
            }
            if !host.is_file() {
                bail!("--with {w}: {} is not a file", host.display());
            }
            Ok(Member { guest, host })
        })
        .collect()
}

/// Build the archive from `members` (later ones win on equal guest paths),
/// creating parent directories as needed, and write it to `image`.
pub fn write(image: &Path, programs: &[Member], extra: &[Member]) -> Result<()> {
    let mut w = cpio::Writer::new();
    let mut dirs = BTreeSet::new();
    for d in ["bin", "dev", "etc", "proc", "tmp"] {
        dirs.insert(d.to_string());
    }
    let mut files = std::collections::BTreeMap::new();
    for m in programs.iter().chain(extra) {
        let rel = m.guest.trim_start_matches('/').to_string();
        let mut p = Path::new(&rel).parent();
        while let Some(d) = p.filter(|d| !d.as_os_str().is_empty()) {
            dirs.insert(d.to_string_lossy().into_owned());
            p = d.parent();
        }
        files.insert(rel, &m.host);
    }
    for d in &dirs {
        w.dir(d, if d == "tmp" { 0o1777 } else { 0o755 });
    }
    for (rel, host) in files {
        let data = std::fs::read(host).with_context(|| format!("reading {}", host.display()))?;
        w.file(&rel, mode_of(host), &data);
    }
    if let Some(parent) = image.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(image, w.finish()).with_context(|| format!("writing {}", image.display()))
}

fn mode_of(host: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(host)
        .map(|m| m.permissions().mode() & 0o7777)
        .unwrap_or(0o644)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn with_defaults_to_bin() {
        let me = std::env::current_exe().unwrap();
        let m = parse_with(&[me.display().to_string()]).unwrap();
        assert!(m[0].guest.starts_with("/bin/"));
        let m = parse_with(&[format!("{}:/opt/x", me.display())]).unwrap();
        assert_eq!(m[0].guest, "/opt/x");
        assert!(parse_with(&[format!("{}:rel", me.display())]).is_err());
        assert!(parse_with(&["/no/such/file".into()]).is_err());
    }

    #[test]
    fn image_has_parents_and_files() {
        let me = std::env::current_exe().unwrap();
        let dir = std::env::temp_dir().join(format!("initramfs-test-{}", std::process::id()));
        let img = dir.join("i.cpio");
        let m = Member {
            guest: "/opt/deep/x".into(),
            host: me,
        };
        write(&img, &[], &[m]).unwrap();
        let bytes = std::fs::read(&img).unwrap();
        let names: Vec<String> = cpio::entries(&bytes)
            .map(|e| e.unwrap().name.to_string())
            .collect();
        assert!(names.contains(&"opt".to_string()));
        assert!(names.contains(&"opt/deep".to_string()));
        assert!(names.contains(&"opt/deep/x".to_string()));
        let _ = std::fs::remove_dir_all(dir);
    }
}
