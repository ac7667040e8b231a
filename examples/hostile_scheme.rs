//! Writes a scheme of the size a hostile (or careless) department might submit, to show
//! that `jixiao check` stays fast on it: many indicators, a long chain of derived metrics
//! (m1 = m0 + 1, m2 = m1 + 1, …), optionally closed into one cycle, and optionally every
//! indicator under the same name (one finding each).
//!
//! ```sh
//! cargo run --release --example hostile_scheme -- --indicators 100000 wide.toml
//! cargo run --release --example hostile_scheme -- --indicators 1 --chain 60000 chain.toml
//! ```
//!
//! Options: `--indicators N` (100000; ten to a group, the groups shared among the four
//! dimensions, weight 1 each, so the scheme's total is N), `--chain N` (0: derived metrics,
//! the first indicator scoring the last), `--cycle` (the first metric of the chain reads
//! the last: one cycle of N metrics), `--same-names` (every indicator named alike). Without
//! `--cycle` and `--same-names` the scheme is clean: `check` finds nothing. The same options
//! give the same bytes.

use std::fmt::Write as _;
use std::path::PathBuf;

pub struct Options {
    pub indicators: usize,
    pub chain: usize,
    pub cycle: bool,
    pub same_names: bool,
    pub out: PathBuf,
}

fn options() -> Result<Options, String> {
    let mut o = Options {
        indicators: 100_000,
        chain: 0,
        cycle: false,
        same_names: false,
        out: PathBuf::new(),
    };
    let mut args = std::env::args().skip(1);
    let number = |v: Option<String>, name: &str| -> Result<usize, String> {
        v.and_then(|v| v.parse().ok())
            .ok_or(format!("{name} needs a number"))
    };
    while let Some(a) = args.next() {
        match a.as_str() {
            "--indicators" => o.indicators = number(args.next(), "--indicators")?,
            "--chain" => o.chain = number(args.next(), "--chain")?,
            "--cycle" => o.cycle = true,
            "--same-names" => o.same_names = true,
            _ if a.starts_with("--") => return Err(format!("unknown option {a}")),
            _ => o.out = PathBuf::from(a),
        }
    }
    if o.out.as_os_str().is_empty() {
        return Err(
            "usage: hostile_scheme [--indicators N] [--chain N] [--cycle] [--same-names] OUT.toml"
                .into(),
        );
    }
    if o.indicators == 0 {
        return Err("--indicators must be at least 1".into());
    }
    Ok(o)
}

/// The scheme's text.
pub fn scheme(o: &Options) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "[scheme]\nid = \"hostile\"\ntitle = \"{} indicators, {} chained metrics\"\ntotal = {}\n",
        o.indicators, o.chain, o.indicators
    );
    for m in 0..o.chain {
        let formula = match m {
            0 if o.cycle && o.chain > 1 => format!("m{} + 1", o.chain - 1),
            0 => "spent / 10000".to_string(),
            _ => format!("m{} + 1", m - 1),
        };
        let _ = writeln!(s, "[[metric]]\nid = \"m{m}\"\nformula = \"{formula}\"\n");
    }
    // Ten indicators to a group; the groups shared in order among the four dimensions.
    let groups = o.indicators.div_ceil(10);
    let dimensions = groups.min(4);
    let kinds = ["decision", "process", "output", "benefit"];
    let size = |g: usize| 10.min(o.indicators - 10 * g);
    let mut indicator = 0;
    for (d, kind) in kinds.iter().enumerate().take(dimensions) {
        let own = (groups * d / dimensions)..(groups * (d + 1) / dimensions);
        let weight: usize = own.clone().map(size).sum();
        let _ = writeln!(s, "[[dimension]]\nkind = \"{kind}\"\nweight = {weight}\n");
        for g in own {
            let _ = writeln!(
                s,
                "  [[dimension.group]]\n  name = \"group {g}\"\n  weight = {}\n",
                size(g)
            );
            for _ in 0..size(g) {
                let name = if o.same_names {
                    "indicator".to_string()
                } else {
                    format!("indicator {indicator}")
                };
                let _ = write!(
                    s,
                    "    [[dimension.group.indicator]]\n    id = \"I{indicator}\"\n    name = \"{name}\"\n    weight = 1\n"
                );
                let _ = match indicator {
                    0 if o.chain > 0 => writeln!(
                        s,
                        "    metric = \"m{}\"\n    target = \">= 1\"\n",
                        o.chain - 1
                    ),
                    _ if indicator % 2 == 0 => {
                        writeln!(
                            s,
                            "    metric = \"arrival_rate\"\n    target = \">= 90%\"\n"
                        )
                    }
                    _ => writeln!(s, "    target = \"按规定程序执行\"\n"),
                };
                indicator += 1;
            }
        }
    }
    s
}

fn main() {
    let o = match options() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    if let Err(e) = std::fs::write(&o.out, scheme(&o)) {
        eprintln!("{}: {e}", o.out.display());
        std::process::exit(1);
    }
}
