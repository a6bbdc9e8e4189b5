//! Path lookup (Linux's fs/namei.c): absolute or relative to a starting
//! directory, following symbolic links (at most 40), with Linux's errors.

use super::inode::Inode;
use crate::errno::Errno;
use alloc::sync::Arc;
use alloc::vec::Vec;

pub const PATH_MAX: usize = 4096;
pub const NAME_MAX: usize = 255;
const MAXSYMLINKS: u32 = 40;

/// Resolve `path` from `root` (for absolute paths) or `start`.
/// `follow` says whether a symlink in the last component is followed.
pub fn path_lookup(
    root: &Arc<Inode>,
    start: &Arc<Inode>,
    path: &[u8],
    follow: bool,
) -> Result<Arc<Inode>, Errno> {
    let mut links = 0;
    walk(root, start, path, follow, &mut links)
}

fn walk(
    root: &Arc<Inode>,
    start: &Arc<Inode>,
    path: &[u8],
    follow: bool,
    links: &mut u32,
) -> Result<Arc<Inode>, Errno> {
    if path.is_empty() {
        return Err(Errno::ENOENT);
    }
    if path.len() >= PATH_MAX {
        return Err(Errno::ENAMETOOLONG);
    }
    let mut cur = if path[0] == b'/' {
        root.clone()
    } else {
        start.clone()
    };
    let trailing_slash = path.ends_with(b"/");
    let comps: Vec<&[u8]> = path
        .split(|&b| b == b'/')
        .filter(|c| !c.is_empty())
        .collect();
    for (i, name) in comps.iter().enumerate() {
        if name.len() > NAME_MAX {
            return Err(Errno::ENAMETOOLONG);
        }
        if !cur.is_dir() {
            return Err(Errno::ENOTDIR);
        }
        let parent = cur.clone();
        let mut next = if *name == b".." && Arc::ptr_eq(&cur, root) {
            cur.clone()
        } else {
            cur.lookup(name)?
        };
        let last = i + 1 == comps.len();
        if next.is_symlink() && (!last || follow || trailing_slash) {
            *links += 1;
            if *links > MAXSYMLINKS {
                return Err(Errno::ELOOP);
            }
            next = match super::proc::follow_magic_link(&next) {
                // /proc/PID/fd/N, exe, cwd: the object itself (Linux's
                // nd_jump_link), whatever its readlink text says.
                Some(target) => target?,
                None => {
                    let target = next.read_link().ok_or(Errno::ENOENT)?;
                    walk(root, &parent, &target, true, links)?
                }
            };
        }
        cur = next;
    }
    if trailing_slash && !cur.is_dir() {
        return Err(Errno::ENOTDIR);
    }
    Ok(cur)
}

/// Split `path` into its parent directory (resolved) and last name, for
/// creating or removing an entry.
pub fn lookup_parent<'p>(
    root: &Arc<Inode>,
    start: &Arc<Inode>,
    path: &'p [u8],
) -> Result<(Arc<Inode>, &'p [u8]), Errno> {
    if path.is_empty() {
        return Err(Errno::ENOENT);
    }
    if path.len() >= PATH_MAX {
        return Err(Errno::ENAMETOOLONG);
    }
    let trimmed = {
        let mut p = path;
        while p.len() > 1 && p.ends_with(b"/") {
            p = &p[..p.len() - 1];
        }
        p
    };
    let (dir, name) = match trimmed.iter().rposition(|&b| b == b'/') {
        Some(0) => (root.clone(), &trimmed[1..]),
        Some(i) => (
            path_lookup(root, start, &trimmed[..i], true)?,
            &trimmed[i + 1..],
        ),
        None => (start.clone(), trimmed),
    };
    if !dir.is_dir() {
        return Err(Errno::ENOTDIR);
    }
    if name.len() > NAME_MAX {
        return Err(Errno::ENAMETOOLONG);
    }
    Ok((dir, name))
}

/// Normalise an absolute path ("/a/./b/../c" → "/a/c") for getcwd.
pub fn normalize(path: &[u8]) -> Vec<u8> {
    let mut parts: Vec<&[u8]> = Vec::new();
    for c in path.split(|&b| b == b'/') {
        match c {
            b"" | b"." => {}
            b".." => {
                parts.pop();
            }
            c => parts.push(c),
        }
    }
    let mut out = Vec::new();
    for p in parts {
        out.push(b'/');
        out.extend_from_slice(p);
    }
    if out.is_empty() {
        out.push(b'/');
    }
    out
}
