//! A single project is a bureau of one: for seeded bureaus (UTF-8 and GBK) with awkward rows
//! added, every project's line of the batch's JSON Lines equals `score --project` for that
//! project, and the same projects fail, with the same errors. A bureau monitored to a date
//! gives the same document whether its ledger is summed by the fast path or the reader.

use assert_cmd::cargo::cargo_bin_cmd;
use serde_json::Value;
use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::process::Output;
use tempfile::TempDir;

use crate::bureau;

fn run(dir: &Path, args: &[&str]) -> Output {
    cargo_bin_cmd!("jixiao")
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

/// The file's text in its encoding, edited as text and written back in it.
fn edit(dir: &Path, file: &str, gbk: bool, change: impl FnOnce(&mut Vec<String>)) {
    let path = dir.join(file);
    let bytes = fs::read(&path).unwrap();
    let text = if gbk {
        encoding_rs::GB18030.decode(&bytes).0.into_owned()
    } else {
        String::from_utf8(bytes).unwrap()
    };
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    change(&mut lines);
    let text = lines.join("\n") + "\n";
    let bytes = if gbk {
        encoding_rs::GB18030.encode(&text).0.into_owned()
    } else {
        text.into_bytes()
    };
    fs::write(&path, bytes).unwrap();
}

/// The index of the `k`-th row (0-based) of `project` among `lines`, counting only rows
/// with no quoted field (they are split on commas here).
fn row_of(lines: &[String], project: &str, k: usize) -> usize {
    lines
        .iter()
        .enumerate()
        .filter(|(_, l)| l.starts_with(&format!("{project},")) && !l.contains('"'))
        .nth(k)
        .map(|(i, _)| i)
        .unwrap_or_else(|| panic!("{project} has no row {k}"))
}

fn id(n: usize) -> String {
    format!("{:02}-2024-{:05}", (n - 1) % 10 + 1, n)
}

/// A bureau of eight projects with the awkward rows of real ledgers.
fn awkward_bureau(seed: u64, gbk: bool) -> TempDir {
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path();
    bureau::generate(&bureau::Options {
        projects: 8,
        rows: 1200,
        gbk,
        seed,
        unjudged: 1,
        out: dir.to_path_buf(),
    });
    edit(dir, "spending.csv", gbk, |lines| {
        // Project 2: a row one field too wide.
        let i = row_of(lines, &id(2), 3);
        lines[i].push_str(",多余");
        // Project 3: a voucher given again past its 64th row.
        let first = row_of(lines, &id(3), 0);
        let voucher = lines[first].split(',').nth(3).unwrap().to_string();
        let late = row_of(lines, &id(3), 80);
        let mut cells: Vec<String> = lines[late].split(',').map(String::from).collect();
        cells[3] = voucher;
        lines[late] = cells.join(",");
        // A title row above the header, as exported from finance software.
        lines.insert(0, "2024年度支出明细账".to_string());
    });
    // Project 4: a second budget row under another name.
    edit(dir, "budget.csv", gbk, |lines| {
        let i = row_of(lines, &id(4), 0);
        let mut cells: Vec<String> = lines[i].split(',').map(String::from).collect();
        cells[1] = "另一个名称".to_string();
        cells[6] = "其他资金".to_string();
        lines.push(cells.join(","));
    });
    // CRLF line ends in outputs.csv, a byte-order mark on judgments.csv (UTF-8 only: a GBK
    // file has none).
    let outputs = dir.join("outputs.csv");
    let text = fs::read(&outputs).unwrap();
    let mut crlf = Vec::new();
    for &b in &text {
        if b == b'\n' {
            crlf.push(b'\r');
        }
        crlf.push(b);
    }
    fs::write(&outputs, crlf).unwrap();
    if !gbk {
        let judgments = dir.join("judgments.csv");
        let mut bytes = b"\xEF\xBB\xBF".to_vec();
        bytes.extend(fs::read(&judgments).unwrap());
        fs::write(&judgments, bytes).unwrap();
    }
    // Project 5: a byte no encoding decodes, in a description.
    let spending = dir.join("spending.csv");
    let mut bytes = fs::read(&spending).unwrap();
    let needle = format!("\n{},", id(5));
    let at = bytes
        .windows(needle.len())
        .position(|w| w == needle.as_bytes())
        .unwrap();
    let end = at + 1 + bytes[at + 1..].iter().position(|&b| b == b'\n').unwrap();
    bytes.insert(end, 0xFF);
    fs::write(&spending, bytes).unwrap();
    tmp
}

/// Error lines of a run's stderr, without the batch's indentation and summary lines.
fn errors(stderr: &[u8]) -> Vec<String> {
    let mut lines: Vec<String> = String::from_utf8_lossy(stderr)
        .lines()
        .map(|l| l.trim_start().to_string())
        .filter(|l| l.contains(": error"))
        .collect();
    lines.sort();
    lines
}

fn compare(dir: &Path, encoding: &str) {
    let batch = run(
        dir,
        &[
            "score",
            ".",
            "--format",
            "json",
            "-q",
            "--encoding",
            encoding,
        ],
    );
    let lines: BTreeMap<String, Value> = String::from_utf8(batch.stdout.clone())
        .unwrap()
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            (v["project"]["id"].as_str().unwrap().to_string(), v)
        })
        .collect();
    let batch_stderr = String::from_utf8_lossy(&batch.stderr).into_owned();
    let mut failed = 0;
    for n in 1..=8 {
        let project = id(n);
        let one = run(
            dir,
            &[
                "score",
                ".",
                "--project",
                &project,
                "--format",
                "json",
                "--encoding",
                encoding,
            ],
        );
        match (lines.get(&project), one.status.code()) {
            (Some(line), Some(0)) => {
                let alone: Value = serde_json::from_slice(&one.stdout).unwrap();
                assert_eq!(*line, alone, "{project}");
            }
            (None, Some(1)) => {
                failed += 1;
                // The errors the project failed with, in the batch's block for it.
                let block: Vec<String> = batch_stderr
                    .split("jixiao: project ")
                    .find(|b| b.starts_with(&format!("{project} ")))
                    .map(|b| errors(b.as_bytes()))
                    .unwrap_or_default();
                assert_eq!(block, errors(&one.stderr), "{project}");
            }
            (line, code) => panic!(
                "{project}: batch {} but alone exit {code:?}\n{}\n{batch_stderr}",
                if line.is_some() {
                    "scored"
                } else {
                    "not scored"
                },
                String::from_utf8_lossy(&one.stderr)
            ),
        }
    }
    // Projects 1 (unjudged), 2 (a row too wide), 4 (two names), 5 (undecodable row).
    assert_eq!(failed, 4, "{batch_stderr}");
    // Project 3's repeated voucher past row 64 is found both ways.
    let three = &lines[&id(3)];
    let warnings = three["warnings"].to_string();
    assert!(warnings.contains("JX1102"), "{warnings}");
}

#[test]
fn every_project_of_a_utf8_bureau_scores_alone_as_in_the_batch() {
    for seed in [3, 11] {
        compare(awkward_bureau(seed, false).path(), "utf-8");
    }
}

#[test]
fn every_project_of_a_gbk_bureau_scores_alone_as_in_the_batch() {
    compare(awkward_bureau(5, true).path(), "gb18030");
}

/// The date of a ledger line written plainly (`P,YYYY-MM-DD,…`), and where it is.
fn plain_date(line: &str) -> Option<(usize, &str)> {
    let (project, rest) = line.split_once(',')?;
    let date = rest.get(..10)?;
    let b = date.as_bytes();
    let plain = b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    (project.contains("-2024-") && plain && rest.as_bytes().get(10) == Some(&b','))
        .then_some((project.len() + 1, date))
}

/// A generated bureau whose ledger has rows after the as-of date and before the year (the
/// generator's December of 2023), about a third of its dates in the reader's other forms
/// (2024/7/5, 2024年7月5日, 20240705), and rows on, just after and far from 2024-07-31 in
/// those forms.
fn dated_bureau(seed: u64, gbk: bool) -> TempDir {
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path();
    bureau::generate(&bureau::Options {
        projects: 300,
        rows: 6000,
        gbk,
        seed,
        unjudged: 0,
        out: dir.to_path_buf(),
    });
    edit(dir, "spending.csv", gbk, |lines| {
        for (k, line) in lines.iter_mut().enumerate() {
            let Some((at, date)) = plain_date(line) else {
                continue;
            };
            let (y, m, d) = (&date[..4], &date[5..7], &date[8..10]);
            let (m1, d1) = (m.trim_start_matches('0'), d.trim_start_matches('0'));
            let other = match k % 9 {
                1 => format!("{y}/{m1}/{d1}"),
                4 => format!("{y}年{m1}月{d1}日"),
                7 => format!("{y}{m}{d}"),
                _ => continue,
            };
            line.replace_range(at..at + 10, &other);
        }
        for (date, amount) in [
            ("2024年7月31日", "100.00"),
            ("2024/8/1", "200.00"),
            ("20240801", "250.00"),
            ("2025-01-03", "300.00"),
            ("2023/12/31", "400.00"),
            ("2022年1月1日", "-50.00"),
        ] {
            lines.push(format!("{},{date},{amount},记-X,办公费,限期前后", id(1)));
        }
    });
    tmp
}

/// `monitor` of a whole bureau, its ledger summed by the fast path (tiny parts, two
/// threads) and by the reference reader (one thread): the same JSON document, byte for
/// byte, and the same warnings; its results made again on two threads, 128 at a time, or
/// on one, in the same order.
fn monitor_both_ways(dir: &Path) {
    use jixiao::ledger::{self, LedgerOptions};
    use jixiao::monitor::{bureau as monitored, profile, render};
    use jixiao::workspace::{Overrides, Workspace};
    let ws = Workspace::open(dir, &Overrides::default()).unwrap();
    let as_of = jixiao::values::Date {
        year: 2024,
        month: 7,
        day: 31,
    };
    let national = profile::national();
    let fast = LedgerOptions {
        threads: 2,
        block_size: 4096,
        ..LedgerOptions::default()
    };
    let reference = LedgerOptions {
        reference_only: true,
        threads: 1,
        ..LedgerOptions::default()
    };
    // The fast path reads this ledger itself (else the two would be one).
    let years: std::collections::HashMap<String, i32> = (1..=300).map(|n| (id(n), 2024)).collect();
    let limited = LedgerOptions {
        as_of: Some(as_of),
        ..fast.clone()
    };
    let sums = ledger::aggregate(&ws.inputs.spending, &years, &limited, &|_| {});
    assert!(sums.fast, "{:?}", sums.fallback);
    let (after, before): (usize, usize) = sums
        .projects
        .values()
        .fold((0, 0), |(a, b), p| (a + p.after, b + p.before));
    assert!(after > 0 && before > 0, "{after} after, {before} before");
    let document = |options: &LedgerOptions| {
        let b = monitored::run(&ws, &national, None, as_of, options).unwrap();
        let mut text = Vec::new();
        render::write_bureau_json(&b, as_of, &mut text).unwrap();
        let warnings: Vec<String> = b.warnings.0.iter().map(|p| format!("{p}")).collect();
        (
            String::from_utf8(text).unwrap(),
            warnings,
            b.summaries.len(),
        )
    };
    let (f, r) = (document(&fast), document(&reference));
    assert_eq!(f.2, 300);
    assert_eq!(f.1, r.1, "warnings");
    // One project a line: the first that differs, if any.
    for (a, b) in f.0.lines().zip(r.0.lines()) {
        assert_eq!(a, b, "the fast path's JSON, then the reader's");
    }
    assert_eq!(f.0, r.0);
    // Project 1's rows added: 2024年7月31日 summed; 2024/8/1, 20240801 and 2025-01-03 after
    // the date; 2023/12/31 and 2022年1月1日 before the year.
    let v: Value = serde_json::from_str(&f.0).unwrap();
    let one = v["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["project"]["id"] == id(1).as_str())
        .unwrap();
    let p = &sums.projects[&id(1)];
    assert!(p.after >= 3 && p.before >= 2, "{p:?}");
    assert_eq!(one["budget"]["rows_after"], p.after);
    assert_eq!(one["budget"]["rows_before"], p.before);
}

#[test]
fn a_bureau_monitored_to_a_date_is_the_same_by_the_fast_path_and_the_reader() {
    monitor_both_ways(dated_bureau(7, false).path());
}

#[test]
fn a_gbk_bureau_monitored_to_a_date_is_the_same_by_the_fast_path_and_the_reader() {
    monitor_both_ways(dated_bureau(9, true).path());
}
