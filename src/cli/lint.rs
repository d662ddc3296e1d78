//! `chepath lint`: print the findings of the library's linter and map them to exit codes.

use super::{exit, fail, LintArgs};
use chepath::checks::lint::{self, Severity};

pub fn run(a: &LintArgs) -> i32 {
    let loaded = match chepath::load::load_with(&a.root, a.network.template.as_deref(), false) {
        Ok(x) => x,
        Err(e) => return fail(&e),
    };
    let r = lint::lint_network(&loaded.file, &loaded.dataset);
    if a.json {
        match serde_json::to_string_pretty(&r) {
            Ok(s) => println!("{s}"),
            Err(e) => {
                eprintln!("error: cannot write JSON: {e}");
                return exit::INTERNAL;
            }
        }
    } else {
        if let Some(n) = &loaded.file.notice {
            println!("note: {n}");
        }
        println!(
            "{}: {} calculations, {} checks ({})",
            a.root.display(),
            r.calculations,
            r.checks.len(),
            r.checks.join(", ")
        );
        for f in &r.findings {
            let sev = match f.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            };
            println!("\n{sev}[{}] {}", f.check, f.subject);
            println!("  {}", f.message);
            for file in &f.files {
                println!("  file: {file}");
            }
            println!("  fix: {}", f.fix);
        }
        println!(
            "\n{} error(s), {} warning(s){}",
            r.errors(),
            r.warnings(),
            if r.findings.is_empty() { ": clean" } else { "" }
        );
    }
    if r.errors() > 0 || (a.strict && r.warnings() > 0) {
        exit::LINT
    } else {
        exit::OK
    }
}
