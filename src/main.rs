//! The `chepath` command line: argument parsing and wiring only. The science lives in the
//! library (`src/lib.rs`), the formats in `parsers/`, the printing in `cli/`.

mod cli;

use clap::Parser;

fn main() {
    let args = cli::Cli::parse();
    let code = cli::run(args);
    std::process::exit(code);
}
