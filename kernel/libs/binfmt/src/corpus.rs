//! placeholder
use crate::error::ExecError;
use alloc::vec::Vec;
/// One malformed file and the error parse must give for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorpusCase {
    pub name: &'static str,
    pub file: Vec<u8>,
    pub expect: ExecError,
}
/// todo
pub fn malformed_cases(_valid: &[u8]) -> Vec<CorpusCase> {
    Vec::new()
}
/// todo
pub fn malformed_corpus(valid: &[u8]) -> Vec<(&'static str, Vec<u8>)> {
    malformed_cases(valid)
        .into_iter()
        .map(|c| (c.name, c.file))
        .collect()
}
