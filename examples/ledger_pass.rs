//! The ledger pass alone, for profiling and for `docs/performance.md`: reads the budget of
//! an evaluation folder for the projects' years, then sums `spending.csv` per project (to
//! the date `AS_OF`, as `monitor --as-of` does, when one is given).
//!
//! ```sh
//! cargo run --release --example ledger_pass -- DIR [THREADS [AS_OF]]
//! ```

use std::collections::HashMap;
use std::path::PathBuf;

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(dir) = args.next().map(PathBuf::from) else {
        eprintln!("usage: ledger_pass DIR [THREADS [AS_OF]]");
        std::process::exit(2);
    };
    let mut options = jixiao::ledger::LedgerOptions::default();
    if let Some(t) = args.next().and_then(|t| t.parse().ok()) {
        options.threads = t;
    }
    options.as_of = args
        .next()
        .map(|d| jixiao::values::parse_date(&d).expect("AS_OF: a date such as 2024-07-31"));
    let mut problems = jixiao::diag::Problems::default();
    let years: HashMap<String, i32> =
        jixiao::data::read_budget(&dir.join("budget.csv"), &Default::default(), &mut problems)
            .into_iter()
            .map(|b| (b.project, b.year))
            .collect();
    let started = std::time::Instant::now();
    let ledger = jixiao::ledger::aggregate(&dir.join("spending.csv"), &years, &options, &|_| {});
    let took = started.elapsed();
    println!(
        "{} rows, {} projects, fast path: {} ({}), {:.3} s",
        ledger.rows,
        ledger.projects.len(),
        ledger.fast,
        ledger.fallback.as_deref().unwrap_or("-"),
        took.as_secs_f64()
    );
}
