//! `cargo xtask`: build, boot, test and debug Forkline.

use anyhow::Result;
use clap::{Parser, Subcommand};
use xtask::qemu::Accel;
use xtask::{build, gdb, run, setup, test};

#[derive(Parser)]
#[command(name = "cargo xtask", about = "Build, boot, test and debug Forkline")]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Install what is missing: Rust targets, QEMU, gcc-multilib, musl-tools, gdb.
    Setup,
    /// Build the kernel and everything the initramfs holds.
    Build,
    /// Boot Forkline in QEMU on this terminal.
    Run(RunArgs),
    /// Every test: host unit tests, then the QEMU tests.
    Test {
        /// Only run tests whose name contains this string.
        filter: Option<String>,
    },
    /// Compile and link a C program against libc-rs (what musl-gcc is to musl):
    /// `cargo xtask cc [--arch i386|x86_64] FILE.c… -o OUT [gcc flags…]`.
    #[command(disable_help_flag = true)]
    Cc {
        #[arg(long, default_value = "x86_64")]
        arch: String,
        /// Sources, objects and gcc flags, passed through.
        #[arg(trailing_var_arg = true, allow_hyphen_values = true, required = true)]
        args: Vec<String>,
    },
    /// Boot under QEMU's gdb stub and attach gdb with the kernel's symbols.
    Gdb(RunArgs),
    /// Forkline against Linux in the same QEMU, in guest instructions per
    /// operation; the table also goes to target/forkline/bench.md.
    Bench(xtask::bench::Args),
}

#[derive(clap::Args, Clone)]
pub struct RunArgs {
    /// Run PROG ARGS as the first program; power off when it exits and exit
    /// with its status.
    #[arg(long, value_name = "PROG ARGS")]
    init: Option<String>,
    /// Put a host file into the initramfs (default guest path /bin/NAME).
    #[arg(long = "with", value_name = "HOSTFILE[:GUESTPATH]")]
    with: Vec<String>,
    /// Extra kernel command-line words.
    #[arg(long, value_name = "KERNEL ARGS", default_value = "")]
    append: String,
    /// QEMU CPU model, e.g. max, Skylake-Client, EPYC.
    #[arg(long, default_value = "max")]
    cpu: String,
    #[arg(long, value_enum, default_value = "tcg")]
    accel: Accel,
    /// Count instructions: one guest nanosecond per instruction.
    #[arg(long)]
    icount: bool,
    /// Guest memory in MiB.
    #[arg(long, default_value_t = 512)]
    memory: u32,
}

impl From<RunArgs> for run::Options {
    fn from(a: RunArgs) -> run::Options {
        run::Options {
            init: a.init,
            with: a.with,
            append: a.append,
            cpu: a.cpu,
            accel: a.accel,
            icount: a.icount,
            memory_mib: a.memory,
        }
    }
}

fn main() -> Result<()> {
    let cli = Cli::parse();
    match cli.command {
        Cmd::Setup => setup::setup(),
        Cmd::Build => {
            setup::setup()?;
            build::build_all().map(|_| ())
        }
        Cmd::Run(args) => {
            setup::setup()?;
            let code = run::run(args.into())?;
            std::process::exit(code)
        }
        Cmd::Test { filter } => {
            setup::setup()?;
            let ok = test::test(filter.as_deref())?;
            std::process::exit(if ok { 0 } else { 1 })
        }
        Cmd::Cc { arch, args } => xtask::cc::cc(&arch, &args),
        Cmd::Gdb(args) => {
            setup::setup()?;
            gdb::gdb(args.into())
        }
        Cmd::Bench(args) => {
            setup::setup()?;
            xtask::bench::bench(args)
        }
    }
}
