//! The benchmark's output, read and summarised: `BENCH` lines from the
//! serial console in, Markdown tables out.

use std::collections::BTreeMap;
use std::fmt::Write;

/// One `BENCH name arch libc ns_per_op iterations [tsc_per_op]` line.
#[derive(Clone, Debug, PartialEq)]
pub struct Sample {
    pub name: String,
    pub arch: String,
    pub libc: String,
    pub ns_per_op: f64,
    pub iterations: u64,
    pub tsc_per_op: Option<f64>,
}

/// Parse a serial line (kernel noise before `BENCH ` is tolerated).
pub fn parse_line(line: &str) -> Option<Sample> {
    let at = line.find("BENCH ")?;
    let mut w = line[at + 6..].split_whitespace();
    let sample = Sample {
        name: w.next()?.to_string(),
        arch: w.next()?.to_string(),
        libc: w.next()?.to_string(),
        ns_per_op: w.next()?.parse().ok()?,
        iterations: w.next()?.parse().ok()?,
        tsc_per_op: w.next().and_then(|t| t.parse().ok()),
    };
    sample.ns_per_op.is_finite().then_some(sample)
}

/// Which kernel ran the program.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum System {
    Forkline,
    Linux,
}

impl System {
    /// The name tables show.
    pub fn name(self) -> &'static str {
        match self {
            System::Forkline => "Forkline",
            System::Linux => "Linux",
        }
    }
}

/// Where a figure comes from: configuration (CPU and extra kernel words),
/// system, arch, libc, benchmark.
pub type Key = (String, System, String, String, String);

/// Every run's figure for every key, and how i386 entered each kernel.
#[derive(Default, Debug)]
pub struct Results {
    pub runs: BTreeMap<Key, Vec<f64>>,
    /// (configuration, system) → what `__kernel_vsyscall` executes.
    pub methods: BTreeMap<(String, System), String>,
}

impl Results {
    /// Record one boot's samples under configuration `config`.
    pub fn add(&mut self, config: &str, system: System, samples: &[Sample]) {
        for s in samples {
            let key = (
                config.to_string(),
                system,
                s.arch.clone(),
                s.libc.clone(),
                s.name.clone(),
            );
            self.runs.entry(key).or_default().push(s.ns_per_op);
        }
    }

    /// Record the entry method an i386 `BENCH-INFO` line shows.
    pub fn add_info(&mut self, config: &str, system: System, line: &str) {
        if let Some(m) = entry_method(line) {
            self.methods.insert((config.to_string(), system), m);
        }
    }

    /// Is there a figure for `name` built with `libc` (on `system`, or on
    /// either)?
    pub fn has(&self, config: &str, system: Option<System>, libc: &str, name: &str) -> bool {
        self.runs
            .keys()
            .any(|k| k.0 == config && system.is_none_or(|s| k.1 == s) && k.3 == libc && k.4 == name)
    }

    /// The median over runs.
    pub fn get(
        &self,
        config: &str,
        system: System,
        arch: &str,
        libc: &str,
        name: &str,
    ) -> Option<f64> {
        let key = (config.into(), system, arch.into(), libc.into(), name.into());
        self.runs.get(&key).map(|v| median(v))
    }

    /// The largest (max − min) / min over runs, in percent, and its key.
    pub fn worst_spread(&self) -> Option<(f64, &Key)> {
        self.runs
            .iter()
            .filter(|(_, v)| v.len() > 1)
            .map(|(k, v)| (spread(v), k))
            .max_by(|a, b| a.0.total_cmp(&b.0))
    }
}

/// From `BENCH-INFO i386 … cpu VENDOR xcr0 X vdso32 METHOD`: Forkline's
/// stated method, else the one Linux's vDSO picks for that CPU vendor.
pub fn entry_method(line: &str) -> Option<String> {
    let w: Vec<&str> = line[line.find("BENCH-INFO i386 ")?..]
        .split_whitespace()
        .collect();
    let after = |key: &str| w.iter().position(|x| *x == key).and_then(|i| w.get(i + 1));
    match (after("vdso32"), after("cpu")) {
        (Some(m), _) if *m != "-" => Some(m.to_string()),
        (_, Some(&"GenuineIntel")) => Some("sysenter".into()),
        (_, Some(&"AuthenticAMD")) | (_, Some(&"HygonGenuine")) => Some("syscall".into()),
        (_, Some(_)) => Some("int80".into()),
        _ => None,
    }
}

/// The median of a non-empty list.
pub fn median(v: &[f64]) -> f64 {
    let mut s = v.to_vec();
    s.sort_by(f64::total_cmp);
    let n = s.len();
    if n % 2 == 1 {
        s[n / 2]
    } else {
        (s[n / 2 - 1] + s[n / 2]) / 2.0
    }
}

/// (max − min) / min in percent.
pub fn spread(v: &[f64]) -> f64 {
    let min = v.iter().copied().fold(f64::INFINITY, f64::min);
    let max = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if min > 0.0 {
        (max - min) / min * 100.0
    } else {
        0.0
    }
}

/// A figure as design.md writes them: integers with thousands separators,
/// one decimal below 100.
pub fn fmt_ns(v: Option<f64>) -> String {
    let Some(v) = v else { return "–".into() };
    if v < 100.0 {
        return format!("{v:.1}");
    }
    let digits = format!("{:.0}", v);
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// a / b as `1.23×`.
pub fn fmt_ratio(a: Option<f64>, b: Option<f64>) -> String {
    match (a, b) {
        (Some(a), Some(b)) if b > 0.0 => format!("{:.2}×", a / b),
        _ => "–".into(),
    }
}

/// A Markdown table.
pub fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "| {} |", header.join(" | "));
    let align: Vec<&str> = header
        .iter()
        .enumerate()
        .map(|(i, _)| if i == 0 { "---" } else { "---:" })
        .collect();
    let _ = writeln!(s, "| {} |", align.join(" | "));
    for r in rows {
        let _ = writeln!(s, "| {} |", r.join(" | "));
    }
    s
}

/// One row of the Forkline-vs-Linux table: the operation, then Forkline,
/// Linux and their ratio for x86_64 and for i386, then design.md's figures.
pub fn system_row(
    r: &Results,
    config: &str,
    libc: &str,
    label: &str,
    name: &str,
    reference: (Option<f64>, Option<f64>),
) -> Vec<String> {
    let mut row = vec![label.to_string()];
    for arch in ["x86_64", "i386"] {
        let f = r.get(config, System::Forkline, arch, libc, name);
        let l = r.get(config, System::Linux, arch, libc, name);
        row.extend([fmt_ns(f), fmt_ns(l), fmt_ratio(f, l)]);
    }
    row.extend([fmt_ns(reference.0), fmt_ns(reference.1)]);
    row
}

/// One row of the libc table on `system`: glibc, libc-rs, ratio per arch.
pub fn libc_row(r: &Results, config: &str, system: System, label: &str, name: &str) -> Vec<String> {
    let mut row = vec![label.to_string()];
    for arch in ["x86_64", "i386"] {
        let g = r.get(config, system, arch, "glibc", name);
        let l = r.get(config, system, arch, "libcrs", name);
        row.extend([fmt_ns(g), fmt_ns(l), fmt_ratio(l, g)]);
    }
    row
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_bench_lines() {
        let s = parse_line("BENCH getppid i386 glibc 373.4 200000 373.9").unwrap();
        assert_eq!(s.name, "getppid");
        assert_eq!((s.arch.as_str(), s.libc.as_str()), ("i386", "glibc"));
        assert_eq!(
            (s.ns_per_op, s.iterations, s.tsc_per_op),
            (373.4, 200000, Some(373.9))
        );
        let s = parse_line("[  3.1] noise BENCH fork x86_64 libcrs 251500 400").unwrap();
        assert_eq!((s.ns_per_op, s.tsc_per_op), (251500.0, None));
        assert!(parse_line("BENCH-INFO x86_64 glibc kernel Linux").is_none());
        assert!(parse_line("BENCH-DONE").is_none());
        assert!(parse_line("BENCH fork x86_64 glibc NaN 3").is_none());
        assert!(parse_line("BENCH fork x86_64 glibc 12").is_none());
    }

    #[test]
    fn entry_methods() {
        let l = "BENCH-INFO i386 glibc kernel Linux 6.1 cpu GenuineIntel xcr0 0x7 vdso32 -";
        assert_eq!(entry_method(l).as_deref(), Some("sysenter"));
        let f = "BENCH-INFO i386 libcrs kernel Forkline 6.1 cpu AuthenticAMD xcr0 0 vdso32 int80";
        assert_eq!(entry_method(f).as_deref(), Some("int80"));
        assert_eq!(
            entry_method("BENCH-INFO x86_64 glibc cpu GenuineIntel"),
            None
        );
    }

    #[test]
    fn medians_spreads_and_formats() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), 2.5);
        assert!((spread(&[100.0, 100.5, 101.0]) - 1.0).abs() < 1e-9);
        assert_eq!(fmt_ns(Some(251500.4)), "251,500");
        assert_eq!(fmt_ns(Some(338.0)), "338");
        assert_eq!(fmt_ns(Some(1000.0)), "1,000");
        assert_eq!(fmt_ns(Some(74.04)), "74.0");
        assert_eq!(fmt_ns(None), "–");
        assert_eq!(fmt_ratio(Some(3.0), Some(2.0)), "1.50×");
        assert_eq!(fmt_ratio(Some(3.0), None), "–");
    }

    #[test]
    fn renders_tables() {
        let mut r = Results::default();
        let s = |arch: &str, libc: &str, ns: f64| Sample {
            name: "getppid".into(),
            arch: arch.into(),
            libc: libc.into(),
            ns_per_op: ns,
            iterations: 10,
            tsc_per_op: None,
        };
        r.add(
            "max",
            System::Forkline,
            &[s("x86_64", "glibc", 200.0), s("i386", "glibc", 300.0)],
        );
        r.add("max", System::Forkline, &[s("x86_64", "glibc", 202.0)]);
        r.add(
            "max",
            System::Linux,
            &[s("x86_64", "glibc", 400.0), s("x86_64", "libcrs", 500.0)],
        );
        let row = system_row(
            &r,
            "max",
            "glibc",
            "getppid",
            "getppid",
            (Some(338.0), Some(373.0)),
        );
        assert_eq!(
            row,
            [
                "getppid", "201", "400", "0.50×", "300", "–", "–", "338", "373"
            ]
        );
        let row = libc_row(&r, "max", System::Linux, "getppid", "getppid");
        assert_eq!(row[1..4], ["400", "500", "1.25×"]);
        let t = table(&["op", "a"], &[vec!["x".into(), "1".into()]]);
        assert_eq!(t, "| op | a |\n| --- | ---: |\n| x | 1 |\n");
        let (worst, key) = r.worst_spread().unwrap();
        assert!((worst - 1.0).abs() < 1e-9);
        assert_eq!(key.4, "getppid");
    }
}
