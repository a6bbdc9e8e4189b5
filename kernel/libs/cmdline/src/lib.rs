//! The kernel command line, parsed as Linux's `parse_args` does.
//!
//! Words are separated by spaces; a word is `key`, `key=value` or
//! `key="value with spaces"` (double quotes may also wrap the whole word).
//! Everything after a lone `--` belongs to init (its argv[1..]), as in
//! Linux. Parsing never fails: malformed quoting ends the word at the end of
//! the line. `-` and `_` in keys are equivalent (`log-level` = `log_level`).
#![no_std]

extern crate alloc;

use alloc::string::String;
use alloc::vec::Vec;

/// One `key[=value]` word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Param<'a> {
    pub key: &'a str,
    pub value: Option<&'a str>,
}

impl Param<'_> {
    /// Does this word's key match `name` (treating `-` and `_` alike)?
    pub fn is(&self, name: &str) -> bool {
        self.key.len() == name.len()
            && self
                .key
                .bytes()
                .zip(name.bytes())
                .all(|(a, b)| norm(a) == norm(b))
    }
}

fn norm(b: u8) -> u8 {
    if b == b'-' { b'_' } else { b }
}

/// A parsed command line; it borrows the original string.
#[derive(Debug, Clone, Copy)]
pub struct Cmdline<'a> {
    line: &'a str,
}

impl<'a> Cmdline<'a> {
    pub fn new(line: &'a str) -> Cmdline<'a> {
        Cmdline { line }
    }

    /// The raw text.
    pub fn as_str(&self) -> &'a str {
        self.line
    }

    /// The `key[=value]` words before `--`.
    pub fn params(&self) -> Params<'a> {
        Params {
            rest: self.line,
            after_dashes: false,
        }
    }

    /// The words after `--`: extra arguments for init.
    pub fn init_args(&self) -> Params<'a> {
        let mut p = self.params();
        while p.next().is_some() {}
        Params {
            rest: p.rest,
            after_dashes: true,
        }
    }

    /// The value of the last `key=value` for `key` (later words win, as in Linux).
    pub fn get(&self, key: &str) -> Option<&'a str> {
        self.params()
            .filter(|p| p.is(key))
            .filter_map(|p| p.value)
            .last()
    }

    /// Is `key` present (with or without a value)?
    pub fn has(&self, key: &str) -> bool {
        self.params().any(|p| p.is(key))
    }
}

/// Iterator over words.
pub struct Params<'a> {
    rest: &'a str,
    after_dashes: bool,
}

impl<'a> Params<'a> {
    /// Split off the next word, honouring double quotes; returns (word, rest).
    fn next_word(s: &'a str) -> Option<(&'a str, &'a str)> {
        let s = s.trim_start_matches([' ', '\t', '\n']);
        if s.is_empty() {
            return None;
        }
        let mut in_quote = false;
        for (i, c) in s.char_indices() {
            match c {
                '"' => in_quote = !in_quote,
                ' ' | '\t' | '\n' if !in_quote => return Some((&s[..i], &s[i..])),
                _ => {}
            }
        }
        Some((s, ""))
    }
}

fn unquote(s: &str) -> &str {
    let s = s.strip_prefix('"').unwrap_or(s);
    s.strip_suffix('"').unwrap_or(s)
}

impl<'a> Iterator for Params<'a> {
    type Item = Param<'a>;

    fn next(&mut self) -> Option<Param<'a>> {
        let (word, rest) = Self::next_word(self.rest)?;
        if !self.after_dashes && word == "--" {
            // Leave `rest` pointing after `--` for init_args().
            self.rest = rest;
            return None;
        }
        self.rest = rest;
        if self.after_dashes {
            return Some(Param {
                key: unquote(word),
                value: None,
            });
        }
        let word = if word.starts_with('"') && word.ends_with('"') && word.len() >= 2 {
            &word[1..word.len() - 1]
        } else {
            word
        };
        Some(match word.split_once('=') {
            Some((k, v)) => Param {
                key: k,
                value: Some(unquote(v)),
            },
            None => Param {
                key: word,
                value: None,
            },
        })
    }
}

/// What the command line hands to init, as Linux's unknown_bootoption and
/// set_init_arg do: unknown `key=value` words become environment
/// variables (replacing one already in the list with the same key), other
/// unknown words arguments, then every word after `--`; a key with a '.'
/// (a module's parameter) goes nowhere. Each list holds at most `max`;
/// what does not fit is counted in `dropped_*` (Linux panics instead).
#[derive(Debug, Default, PartialEq, Eq)]
pub struct InitHandoff {
    pub args: Vec<String>,
    pub env: Vec<String>,
    pub dropped_args: Vec<String>,
    pub dropped_env: Vec<String>,
}

impl<'a> Cmdline<'a> {
    /// Split off init's arguments and environment; `known(key)` says which
    /// words the kernel itself takes; `env` is the default environment.
    pub fn for_init(
        &self,
        known: impl Fn(&Param) -> bool,
        env: &[&str],
        max: usize,
    ) -> InitHandoff {
        let mut h = InitHandoff {
            env: env.iter().map(|e| String::from(*e)).collect(),
            ..InitHandoff::default()
        };
        for p in self.params().filter(|p| !known(p) && !p.key.contains('.')) {
            let Some(v) = p.value else {
                h.args.push(p.key.into());
                continue;
            };
            let var = alloc::format!("{}={}", p.key, v);
            let same = h
                .env
                .iter()
                .position(|e| e.split_once('=').map(|(k, _)| k) == Some(p.key));
            match same {
                Some(i) => h.env[i] = var,
                None if h.env.len() < max => h.env.push(var),
                None => h.dropped_env.push(var),
            }
        }
        h.args.extend(self.init_args().map(|p| String::from(p.key)));
        if h.args.len() > max {
            h.dropped_args = h.args.split_off(max);
        }
        h
    }
}

/// The switches a list of words names ("fork,syscall", "all"), each word's
/// bit taken from `table`; "0" or nothing is none. Err gives the first
/// word that is no switch.
pub fn switches<'w>(words: &'w str, table: &[(&str, u32)]) -> Result<u32, &'w str> {
    let mut bits = 0;
    for w in words
        .split([',', ' ', '\t', '\n'])
        .filter(|w| !w.is_empty() && *w != "0")
    {
        bits |= match w {
            "all" => table.iter().fold(0, |a, (_, b)| a | b),
            _ => table.iter().find(|(n, _)| *n == w).ok_or(w)?.1,
        };
    }
    Ok(bits)
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;
    use std::vec::Vec;

    fn keys(c: &Cmdline) -> Vec<(&'static str, Option<&'static str>)> {
        c.params()
            .map(|p| {
                let k: &'static str = std::boxed::Box::leak(p.key.into());
                let v = p.value.map(|v| &*std::boxed::Box::leak(v.into()));
                (k, v)
            })
            .collect()
    }

    #[test]
    fn words_and_values() {
        let c = Cmdline::new("  init=/bin/sh vdso32=sysenter  quiet loglevel=7 ");
        assert_eq!(
            keys(&c),
            [
                ("init", Some("/bin/sh")),
                ("vdso32", Some("sysenter")),
                ("quiet", None),
                ("loglevel", Some("7"))
            ]
        );
        assert_eq!(c.get("init"), Some("/bin/sh"));
        assert!(c.has("quiet"));
        assert!(!c.has("loud"));
        assert_eq!(c.get("quiet"), None);
    }

    #[test]
    fn later_words_win_and_dashes_match_underscores() {
        let c = Cmdline::new("loglevel=3 log-level=9");
        assert_eq!(c.get("log_level"), Some("9"));
        assert_eq!(c.get("loglevel"), Some("3"));
    }

    #[test]
    fn quotes() {
        let c = Cmdline::new(r#"a="x y" "b=z w" c=""#);
        assert_eq!(c.get("a"), Some("x y"));
        assert_eq!(c.get("b"), Some("z w"));
        assert_eq!(c.get("c"), Some(""));
        // Unterminated quote runs to the end of the line.
        let c = Cmdline::new(r#"a="x y"#);
        assert_eq!(c.get("a"), Some("x y"));
    }

    #[test]
    fn init_arguments_after_dashes() {
        let c = Cmdline::new("init=/bin/echo -- hello   world --x");
        let args: Vec<_> = c.init_args().map(|p| p.key).collect();
        assert_eq!(args, ["hello", "world", "--x"]);
        assert_eq!(keys(&c), [("init", Some("/bin/echo"))]);
        assert_eq!(Cmdline::new("a b").init_args().count(), 0);
    }

    #[test]
    fn empty_and_odd_input() {
        assert_eq!(Cmdline::new("").params().count(), 0);
        assert_eq!(Cmdline::new("   ").params().count(), 0);
        let c = Cmdline::new("=v k= ==");
        assert_eq!(
            keys(&c),
            [("", Some("v")), ("k", Some("")), ("", Some("="))]
        );
    }

    #[test]
    fn init_gets_unknown_words_as_linux_hands_them_over() {
        let c = Cmdline::new(
            "init=/bin/sh helper args FL=boot HOME=/root mod.param=1 quiet -- after --x",
        );
        let known = |p: &Param| p.is("init") || p.is("quiet");
        let h = c.for_init(known, &["HOME=/", "TERM=linux"], 32);
        assert_eq!(h.args, ["helper", "args", "after", "--x"]);
        assert_eq!(h.env, ["HOME=/root", "TERM=linux", "FL=boot"]);
        assert!(h.dropped_args.is_empty() && h.dropped_env.is_empty());
    }

    #[test]
    fn init_handoff_is_bounded() {
        let c = Cmdline::new("a b c X=1 Y=2 -- d");
        let h = c.for_init(|_| false, &["HOME=/"], 2);
        assert_eq!(h.args, ["a", "b"]);
        assert_eq!(h.dropped_args, ["c", "d"]);
        assert_eq!(h.env, ["HOME=/", "X=1"]);
        assert_eq!(h.dropped_env, ["Y=2"]);
    }

    #[test]
    fn switch_words() {
        let t = [("fork", 1), ("syscall", 2)];
        assert_eq!(switches("fork", &t), Ok(1));
        assert_eq!(switches("syscall,fork\n", &t), Ok(3));
        assert_eq!(switches("all", &t), Ok(3));
        assert_eq!(switches("0", &t), Ok(0));
        assert_eq!(switches("", &t), Ok(0));
        assert_eq!(switches("fork,bogus", &t), Err("bogus"));
    }
}
