//! File-descriptor tables (Linux's files_struct), shared by CLONE_FILES.

use super::file::File;
use crate::errno::Errno;
use crate::sync::SpinLock;
use alloc::sync::Arc;
use alloc::vec::Vec;

/// Linux's default RLIMIT_NOFILE hard ceiling for us.
pub const NR_OPEN_MAX: usize = 4096;

#[derive(Clone)]
pub struct FdEntry {
    pub file: Arc<File>,
    pub cloexec: bool,
}

pub struct FilesStruct {
    fds: SpinLock<Vec<Option<FdEntry>>>,
}

impl Default for FilesStruct {
    fn default() -> Self {
        Self::new()
    }
}

impl FilesStruct {
    pub fn new() -> FilesStruct {
        FilesStruct {
            fds: SpinLock::new(Vec::new()),
        }
    }

    /// The open file behind `fd`.
    pub fn get(&self, fd: i32) -> Result<Arc<File>, Errno> {
        let fds = self.fds.lock();
        usize::try_from(fd)
            .ok()
            .and_then(|i| fds.get(i))
            .and_then(|e| e.as_ref())
            .map(|e| e.file.clone())
            .ok_or(Errno::EBADF)
    }

    pub fn get_entry(&self, fd: i32) -> Result<FdEntry, Errno> {
        let fds = self.fds.lock();
        usize::try_from(fd)
            .ok()
            .and_then(|i| fds.get(i))
            .and_then(|e| e.clone())
            .ok_or(Errno::EBADF)
    }

    /// Install at the lowest free descriptor >= `min` (below `limit`).
    pub fn alloc(
        &self,
        file: Arc<File>,
        cloexec: bool,
        min: usize,
        limit: usize,
    ) -> Result<i32, Errno> {
        let mut fds = self.fds.lock();
        let limit = limit.min(NR_OPEN_MAX);
        let fd = (min..limit)
            .find(|&i| fds.get(i).is_none_or(|e| e.is_none()))
            .ok_or(Errno::EMFILE)?;
        if fds.len() <= fd {
            fds.resize(fd + 1, None);
        }
        fds[fd] = Some(FdEntry { file, cloexec });
        Ok(fd as i32)
    }

    /// Put `file` at exactly `fd` (dup2), closing what was there.
    pub fn install(&self, fd: usize, file: Arc<File>, cloexec: bool) {
        let replaced = {
            let mut fds = self.fds.lock();
            if fds.len() <= fd {
                fds.resize(fd + 1, None);
            }
            fds[fd].replace(FdEntry { file, cloexec })
        };
        replaced.iter().for_each(|e| self.filp_close(e));
    }

    /// close(2): remove `fd`. The file is released when its last user goes.
    pub fn close(&self, fd: i32) -> Result<FdEntry, Errno> {
        let entry = {
            let mut fds = self.fds.lock();
            usize::try_from(fd)
                .ok()
                .and_then(|i| fds.get_mut(i))
                .and_then(|e| e.take())
                .ok_or(Errno::EBADF)?
        };
        self.filp_close(&entry);
        Ok(entry)
    }

    /// What closing one descriptor does besides dropping it (Linux's
    /// filp_close): this table's POSIX locks on the file's inode go.
    fn filp_close(&self, entry: &FdEntry) {
        super::locks::locks_remove_posix(&entry.file, super::locks::files_owner(self));
    }

    pub fn set_cloexec(&self, fd: i32, on: bool) -> Result<(), Errno> {
        let mut fds = self.fds.lock();
        let e = usize::try_from(fd)
            .ok()
            .and_then(|i| fds.get_mut(i))
            .and_then(|e| e.as_mut())
            .ok_or(Errno::EBADF)?;
        e.cloexec = on;
        Ok(())
    }

    /// A private copy for fork without CLONE_FILES (dup_fd).
    pub fn copy(&self) -> FilesStruct {
        FilesStruct {
            fds: SpinLock::new(self.fds.lock().clone()),
        }
    }

    /// execve closes every close-on-exec descriptor.
    pub fn close_on_exec(&self) {
        let closed: Vec<FdEntry> = {
            let mut fds = self.fds.lock();
            fds.iter_mut()
                .filter(|e| e.as_ref().is_some_and(|e| e.cloexec))
                .filter_map(|e| e.take())
                .collect()
        };
        closed.iter().for_each(|e| self.filp_close(e));
    }

    /// close_range(2): close every descriptor in [first, last], or mark
    /// them close-on-exec. Files are released after the lock is dropped.
    pub fn close_range(&self, first: u32, last: u32, cloexec: bool) {
        let closed: Vec<FdEntry> = {
            let mut fds = self.fds.lock();
            let end = (last as usize).saturating_add(1).min(fds.len());
            let range = (first as usize).min(end)..end;
            if cloexec {
                fds[range]
                    .iter_mut()
                    .flatten()
                    .for_each(|e| e.cloexec = true);
                Vec::new()
            } else {
                fds[range].iter_mut().filter_map(|e| e.take()).collect()
            }
        };
        closed.iter().for_each(|e| self.filp_close(e));
    }

    /// Open descriptors, for /proc/PID/fd.
    pub fn open_fds(&self) -> Vec<(i32, Arc<File>)> {
        self.fds
            .lock()
            .iter()
            .enumerate()
            .filter_map(|(i, e)| e.as_ref().map(|e| (i as i32, e.file.clone())))
            .collect()
    }
}

impl Drop for FilesStruct {
    /// The table's last user went (exit, or unshare): every descriptor is
    /// closed as close(2) would (Linux's close_files).
    fn drop(&mut self) {
        let fds = core::mem::take(self.fds.get_mut());
        fds.iter().flatten().for_each(|e| self.filp_close(e));
    }
}
