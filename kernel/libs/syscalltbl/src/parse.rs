//! Reading a `syscall_*.tbl` file: one syscall per line, checked strictly.

use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;

/// Highest syscall number a table may use. Linux's x86 numbers stay below
/// 548 (x32's legacy range ends at 547); the cap keeps a typo such as
/// `4294967295` from producing a four-billion-entry table.
pub const MAX_NR: usize = 4095;

/// Which of Linux's two x86 tables a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Abi {
    /// `syscall_64.tbl`: 64-bit processes (`entry_SYSCALL_64`).
    X64,
    /// `syscall_32.tbl`: i386 processes (`int $0x80`, `sysenter`, compat `syscall`).
    I386,
}

impl Abi {
    /// Linux's name for the data file of this table.
    pub fn file_name(self) -> &'static str {
        match self {
            Abi::X64 => "syscall_64.tbl",
            Abi::I386 => "syscall_32.tbl",
        }
    }

    /// The ABI column values Linux's generator keeps for this table.
    pub fn column_values(self) -> &'static str {
        match self {
            Abi::X64 => "\"common\" or \"64\"",
            Abi::I386 => "\"i386\"",
        }
    }

    // Whether `abi` (the second column) belongs in this file.
    fn accepts(self, abi: &str) -> bool {
        match self {
            Abi::X64 => abi == "common" || abi == "64",
            Abi::I386 => abi == "i386",
        }
    }
}

/// One syscall line of a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry<'a> {
    /// The syscall number, identical to Linux's.
    pub nr: usize,
    /// The ABI column: `common`, `64` or `i386`.
    pub abi: &'a str,
    /// The syscall name, as in `__NR_<name>`.
    pub name: &'a str,
    /// The handler (4th column), or `None`: not implemented, -ENOSYS.
    pub entry: Option<&'a str>,
    /// The compat handler (5th column, `-` means none); i386 table only.
    pub compat: Option<&'a str>,
    /// The 6th column says `noreturn`: the handler never returns.
    pub noreturn: bool,
    /// 1-based line number in the file, for messages.
    pub line: usize,
}

impl<'a> Entry<'a> {
    /// The handler the generated table calls: the compat entry point when
    /// there is one (the i386 layout differs), else the entry point.
    pub fn handler(&self) -> Option<&'a str> {
        self.compat.or(self.entry)
    }
}

/// A parsed table: entries sorted by number, numbers and names unique.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table<'a> {
    abi: Abi,
    entries: Vec<Entry<'a>>,
}

impl<'a> Table<'a> {
    /// Which table this is.
    pub fn abi(&self) -> Abi {
        self.abi
    }

    /// Every syscall line, sorted by number.
    pub fn entries(&self) -> &[Entry<'a>] {
        &self.entries
    }

    /// Slots in the generated table: highest number + 1 (`__NR_syscalls`).
    pub fn nr_syscalls(&self) -> usize {
        self.entries.last().map_or(0, |e| e.nr + 1)
    }

    /// The line for syscall number `nr`, if the table has one.
    pub fn get(&self, nr: usize) -> Option<&Entry<'a>> {
        let i = self.entries.binary_search_by_key(&nr, |e| e.nr).ok()?;
        self.entries.get(i)
    }

    /// The line for syscall `name`, if the table has one.
    pub fn by_name(&self, name: &str) -> Option<&Entry<'a>> {
        self.entries.iter().find(|e| e.name == name)
    }

    /// The table written back in Linux's format, one tab between columns,
    /// comments dropped; parsing the result gives the same entries.
    pub fn to_tbl(&self) -> String {
        let mut out = String::new();
        for e in &self.entries {
            let mut cols: Vec<&str> = Vec::new();
            let nr = e.nr.to_string();
            cols.extend([nr.as_str(), e.abi, e.name]);
            if let Some(entry) = e.entry {
                cols.push(entry);
                if e.compat.is_some() || e.noreturn {
                    cols.push(e.compat.unwrap_or("-"));
                }
                if e.noreturn {
                    cols.push("noreturn");
                }
            }
            out.push_str(&cols.join("\t"));
            out.push('\n');
        }
        out
    }
}

/// What is wrong with a table, and on which line (0: the whole file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pub line: usize,
    pub kind: ErrorKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ErrorKind {
    /// The line stops before its abi or name column.
    MissingField(&'static str),
    /// The first column is not a decimal number.
    BadNumber(String),
    /// The number is above [`MAX_NR`].
    NumberTooLarge(usize),
    /// The abi column does not belong in this file.
    BadAbi {
        found: String,
        expected: &'static str,
    },
    /// An `x32` line: Forkline does not run x32 programs.
    X32NotSupported,
    /// The name is not `[A-Za-z_][A-Za-z0-9_]*`.
    BadName(String),
    /// An entry point is not a usable Rust identifier.
    BadEntryPoint(String),
    /// A compat entry point in `syscall_64.tbl`, which has none.
    CompatInX64(String),
    /// The 6th column is not `noreturn`.
    BadFlag(String),
    /// More than six columns.
    TooManyFields,
    /// The number was already used on `first_line`.
    DuplicateNumber { nr: usize, first_line: usize },
    /// The name was already used on `first_line`.
    DuplicateName { name: String, first_line: usize },
    /// The file has no syscall lines at all.
    Empty,
    /// A path given to the generator is not a Rust path.
    BadPath(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        if self.line != 0 {
            write!(f, "line {}: ", self.line)?;
        }
        match &self.kind {
            ErrorKind::MissingField(what) => write!(f, "missing {what} column"),
            ErrorKind::BadNumber(s) => write!(f, "syscall number {s:?} is not a decimal number"),
            ErrorKind::NumberTooLarge(n) => write!(f, "syscall number {n} is above {MAX_NR}"),
            ErrorKind::BadAbi { found, expected } => {
                write!(
                    f,
                    "abi {found:?} does not belong in this file (expected {expected})"
                )
            }
            ErrorKind::X32NotSupported => write!(f, "x32 lines are not supported by Forkline"),
            ErrorKind::BadName(s) => write!(f, "syscall name {s:?} is not an identifier"),
            ErrorKind::BadEntryPoint(s) => {
                write!(f, "entry point {s:?} is not a Rust identifier")
            }
            ErrorKind::CompatInX64(s) => {
                write!(
                    f,
                    "compat entry point {s:?} in the 64-bit table (only \"-\" is allowed)"
                )
            }
            ErrorKind::BadFlag(s) => write!(f, "6th column {s:?} is not \"noreturn\""),
            ErrorKind::TooManyFields => write!(f, "more than six columns"),
            ErrorKind::DuplicateNumber { nr, first_line } => {
                write!(f, "syscall number {nr} already used on line {first_line}")
            }
            ErrorKind::DuplicateName { name, first_line } => {
                write!(f, "syscall name {name:?} already used on line {first_line}")
            }
            ErrorKind::Empty => write!(f, "the table has no syscall lines"),
            ErrorKind::BadPath(s) => write!(f, "{s:?} is not a Rust path"),
        }
    }
}

/// Rust's strict and reserved keywords: an entry point named like one would
/// not compile as `crate::syscall::<name>`.
const KEYWORDS: &[&str] = &[
    "Self", "abstract", "as", "async", "await", "become", "box", "break", "const", "continue",
    "crate", "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if",
    "impl", "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub",
    "ref", "return", "self", "static", "struct", "super", "trait", "true", "try", "type", "typeof",
    "unsafe", "unsized", "use", "virtual", "where", "while", "yield", "_",
];

// True for `[A-Za-z_][A-Za-z0-9_]*`, the shape of C and Rust identifiers.
fn is_ident(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// True if `s` can be written, unquoted, as a Rust identifier.
pub(crate) fn is_rust_ident(s: &str) -> bool {
    is_ident(s) && !KEYWORDS.contains(&s)
}

// Parse one non-comment line (already split) into an Entry.
fn parse_line<'a>(abi: Abi, line: usize, cols: &[&'a str]) -> Result<Entry<'a>, ErrorKind> {
    let nr_text = cols[0];
    if nr_text.is_empty() || !nr_text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ErrorKind::BadNumber(nr_text.to_string()));
    }
    let nr: usize = nr_text
        .parse()
        .map_err(|_| ErrorKind::NumberTooLarge(usize::MAX))?;
    if nr > MAX_NR {
        return Err(ErrorKind::NumberTooLarge(nr));
    }
    let abi_col = *cols.get(1).ok_or(ErrorKind::MissingField("abi"))?;
    if abi_col == "x32" && abi == Abi::X64 {
        return Err(ErrorKind::X32NotSupported);
    }
    if !abi.accepts(abi_col) {
        let expected = abi.column_values();
        return Err(ErrorKind::BadAbi {
            found: abi_col.to_string(),
            expected,
        });
    }
    let name = *cols.get(2).ok_or(ErrorKind::MissingField("name"))?;
    if !is_ident(name) {
        return Err(ErrorKind::BadName(name.to_string()));
    }
    let entry = cols.get(3).copied();
    if let Some(e) = entry
        && !is_rust_ident(e)
    {
        return Err(ErrorKind::BadEntryPoint(e.to_string()));
    }
    let compat = match cols.get(4).copied() {
        None | Some("-") => None,
        Some(c) if abi == Abi::X64 => return Err(ErrorKind::CompatInX64(c.to_string())),
        Some(c) if !is_rust_ident(c) => return Err(ErrorKind::BadEntryPoint(c.to_string())),
        Some(c) => Some(c),
    };
    let noreturn = match cols.get(5).copied() {
        None => false,
        Some("noreturn") => true,
        Some(other) => return Err(ErrorKind::BadFlag(other.to_string())),
    };
    if cols.len() > 6 {
        return Err(ErrorKind::TooManyFields);
    }
    Ok(Entry {
        nr,
        abi: abi_col,
        name,
        entry,
        compat,
        noreturn,
        line,
    })
}

/// Parse `text` as the table for `abi`; the first bad line is an error.
pub fn parse(text: &str, abi: Abi) -> Result<Table<'_>, Error> {
    let mut entries: Vec<Entry> = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let trimmed = raw.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let cols: Vec<&str> = trimmed.split_whitespace().collect();
        let entry = parse_line(abi, line, &cols).map_err(|kind| Error { line, kind })?;
        entries.push(entry);
    }
    if entries.is_empty() {
        return Err(Error {
            line: 0,
            kind: ErrorKind::Empty,
        });
    }
    check_unique(&mut entries)?;
    Ok(Table { abi, entries })
}

// Sort by number and reject repeated numbers or names, naming both lines.
fn check_unique(entries: &mut [Entry]) -> Result<(), Error> {
    entries.sort_by_key(|e| (e.nr, e.line));
    for pair in entries.windows(2) {
        if pair[0].nr == pair[1].nr {
            let (first, dup) = (&pair[0], &pair[1]);
            let kind = ErrorKind::DuplicateNumber {
                nr: dup.nr,
                first_line: first.line,
            };
            return Err(Error {
                line: dup.line,
                kind,
            });
        }
    }
    let mut by_name: Vec<&Entry> = entries.iter().collect();
    by_name.sort_by_key(|e| (e.name, e.line));
    for pair in by_name.windows(2) {
        if pair[0].name == pair[1].name {
            let (first, dup) = (pair[0], pair[1]);
            let kind = ErrorKind::DuplicateName {
                name: dup.name.to_string(),
                first_line: first.line,
            };
            return Err(Error {
                line: dup.line,
                kind,
            });
        }
    }
    Ok(())
}
