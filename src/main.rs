//! The `chepath` command line: argument parsing and wiring only. The science lives in the
//! library (`src/lib.rs`), the formats in `parsers/`, the printing in `cli/`.

mod cli;

use clap::Parser;

fn main() {
    // Output piped into `head` and closed early: stop quietly, as Unix tools do, instead of
    // panicking in println!. Every other panic keeps the default report.
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let msg = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| info.payload().downcast_ref::<&str>().copied())
            .unwrap_or("");
        if msg.contains("Broken pipe") {
            std::process::exit(0);
        }
        default_hook(info);
    }));
    let args = cli::Cli::parse();
    let code = cli::run(args);
    std::process::exit(code);
}
