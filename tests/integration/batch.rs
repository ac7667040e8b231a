//! A whole bureau in one run, on small bureaus written by the benchmark's generator
//! (`examples/bureau.rs`): per-project totals checked against an independent sum of the
//! generated ledger; the same sums, to the fen, for 1 and several threads, any block size,
//! the reference reader, and the UTF-8 and GBK files; one bad project not stopping the
//! others; the summary, JSON Lines, CSV, `--out` and `--project`.

use assert_cmd::cargo::cargo_bin_cmd;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::path::Path;
use tempfile::TempDir;

use jixiao::ledger::{self, LedgerOptions};
use rust_decimal::Decimal;

use crate::bureau;

/// A generated bureau in a temporary folder.
fn bureau(projects: usize, rows: usize, gbk: bool, unjudged: usize) -> TempDir {
    let tmp = TempDir::new().unwrap();
    bureau::generate(&bureau::Options {
        projects,
        rows,
        gbk,
        seed: 7,
        unjudged,
        out: tmp.path().to_path_buf(),
    });
    tmp
}

/// The ledger summed per project by a parser written for this test alone: a character
/// state machine over the decoded text (quotes, doubled quotes, line breaks in quotes),
/// amounts turned into whole fen by hand. Returns project → (fen, rows).
fn independent_sums(path: &Path, gbk: bool) -> BTreeMap<String, (i64, usize)> {
    let bytes = fs::read(path).unwrap();
    let text = if gbk {
        encoding_rs::GB18030.decode(&bytes).0.into_owned()
    } else {
        String::from_utf8(bytes).unwrap()
    };
    let mut records: Vec<Vec<String>> = Vec::new();
    let (mut field, mut record) = (String::new(), Vec::new());
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => record.push(std::mem::take(&mut field)),
            (false, '\n') => {
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
            }
            (false, c) => field.push(c),
        }
    }
    assert!(
        field.is_empty() && record.is_empty(),
        "the file ends a record"
    );
    assert_eq!(records[0][..3], ["project", "date", "amount"]);
    let mut sums: BTreeMap<String, (i64, usize)> = BTreeMap::new();
    for r in &records[1..] {
        let amount = r[2].replace(',', "");
        let (neg, digits) = match amount.strip_prefix('-') {
            Some(d) => (true, d),
            None => (false, amount.as_str()),
        };
        let (int, frac) = digits.split_once('.').unwrap();
        let fen = int.parse::<i64>().unwrap() * 100 + frac.parse::<i64>().unwrap();
        let e = sums.entry(r[0].clone()).or_default();
        e.0 += if neg { -fen } else { fen };
        e.1 += 1;
    }
    sums
}

/// "1234.50" → 123450 fen.
fn fen(money: &str) -> i64 {
    let (neg, m) = match money.strip_prefix('-') {
        Some(m) => (true, m),
        None => (false, money),
    };
    let (int, frac) = m.split_once('.').unwrap();
    assert_eq!(frac.len(), 2, "{money}");
    let v = int.parse::<i64>().unwrap() * 100 + frac.parse::<i64>().unwrap();
    if neg { -v } else { v }
}

/// `jixiao ARGS... DIR`, its output.
fn jixiao(args: &[&str], dir: &Path) -> std::process::Output {
    cargo_bin_cmd!("jixiao")
        .args(["--lang", "en"])
        .args(args)
        .arg(dir)
        .output()
        .unwrap()
}

/// Exit status 0 (stderr shown if not).
fn succeeded(out: &std::process::Output) {
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn json_lines(stdout: &[u8]) -> Vec<Value> {
    String::from_utf8(stdout.to_vec())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn years(dir: &Path) -> HashMap<String, i32> {
    let mut problems = jixiao::diag::Problems::default();
    jixiao::data::read_budget(&dir.join("budget.csv"), &Default::default(), &mut problems)
        .into_iter()
        .map(|b| (b.project, b.year))
        .collect()
}

fn sums(dir: &Path, threads: usize, block_size: usize, reference_only: bool) -> ledger::Ledger {
    let options = LedgerOptions {
        threads,
        block_size,
        reference_only,
        ..LedgerOptions::default()
    };
    ledger::aggregate(&dir.join("spending.csv"), &years(dir), &options, &|_| {})
}

#[test]
fn bureau_totals_match_an_independent_sum_and_every_project_is_scored() {
    let b = bureau(40, 4000, false, 0);
    let out = jixiao(&["score", "--format", "json", "--threads", "2"], b.path());
    succeeded(&out);
    // Piped stderr: no progress bar, and nothing else to say.
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let results = json_lines(&out.stdout);
    assert_eq!(results.len(), 40);
    let expected = independent_sums(&b.path().join("spending.csv"), false);
    let mut rows = 0;
    for r in &results {
        let id = r["project"]["id"].as_str().unwrap();
        let (want_fen, want_rows) = expected.get(id).copied().unwrap_or_default();
        let m = &r["metrics"];
        assert_eq!(fen(m["spent"].as_str().unwrap()), want_fen, "{id}");
        assert_eq!(
            m["spending_rows"].as_u64().unwrap() as usize,
            want_rows,
            "{id}"
        );
        rows += want_rows;
        // The same keys as the single-project JSON.
        for key in [
            "scheme",
            "total_score",
            "grade",
            "dimensions",
            "indicators",
            "warnings",
        ] {
            assert!(r.get(key).is_some(), "{key}");
        }
    }
    assert_eq!(rows, 4000);
}

#[test]
fn sums_are_identical_for_any_threads_blocks_and_the_reference_reader() {
    let b = bureau(25, 3000, false, 0);
    let reference = sums(b.path(), 1, ledger::PART_SIZE, true);
    assert!(!reference.fast);
    assert_eq!(reference.rows, 3000);
    // Small parts cut the file in hundreds of places, inside quoted line breaks too, and
    // start speculatively in the wrong place (then they are parsed again).
    for (threads, block) in [
        (1, ledger::PART_SIZE),
        (2, ledger::PART_SIZE),
        (1, 4096),
        (2, 4096),
        (2, 997),
        (3, 64),
        (2, 17),
    ] {
        let fast = sums(b.path(), threads, block, false);
        assert!(
            fast.fast,
            "{threads} threads, {block} bytes: {:?}",
            fast.fallback
        );
        assert_eq!(fast.rows, reference.rows);
        assert_eq!(
            fast.projects, reference.projects,
            "{threads} threads, {block}-byte blocks"
        );
    }
}

#[test]
fn the_gbk_file_gives_the_same_results_as_the_utf8_one() {
    let u = bureau(20, 2000, false, 0);
    let g = bureau(20, 2000, true, 0);
    assert_ne!(
        fs::read(u.path().join("spending.csv")).unwrap(),
        fs::read(g.path().join("spending.csv")).unwrap()
    );
    let fast_gbk = sums(g.path(), 2, 4096, false);
    assert!(fast_gbk.fast, "{:?}", fast_gbk.fallback);
    assert_eq!(fast_gbk.projects, sums(u.path(), 2, 4096, false).projects);
    assert_eq!(
        fast_gbk.projects,
        sums(g.path(), 1, ledger::PART_SIZE, true).projects
    );
    let run = |dir: &Path, threads: &str| {
        let out = jixiao(&["score", "--format", "json", "--threads", threads], dir);
        succeeded(&out);
        // Warnings name their file, which differs: compare everything else.
        let mut v = json_lines(&out.stdout);
        for r in &mut v {
            r["warnings"] = Value::Null;
        }
        v
    };
    let utf8 = run(u.path(), "1");
    assert_eq!(utf8, run(u.path(), "2"));
    assert_eq!(utf8, run(g.path(), "2"));
    let expected = independent_sums(&g.path().join("spending.csv"), true);
    for r in &utf8 {
        let id = r["project"]["id"].as_str().unwrap();
        let want = expected.get(id).map_or(0, |e| e.0);
        assert_eq!(fen(r["metrics"]["spent"].as_str().unwrap()), want, "{id}");
    }
}

#[test]
fn a_bad_project_does_not_stop_the_others() {
    // Two projects without judgments; one spending row of a third with a bad amount.
    let b = bureau(12, 600, false, 2);
    let spending = b.path().join("spending.csv");
    let mut text = fs::read_to_string(&spending).unwrap();
    let line = text.matches('\n').count() + 1;
    text.push_str("03-2024-00003,2024-05-06,12.345,记-9999999,差旅费,多了一位小数\n");
    fs::write(&spending, text).unwrap();
    let out = jixiao(&["score", "--format", "json"], b.path());
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    for id in ["01-2024-00001", "02-2024-00002", "03-2024-00003"] {
        assert!(
            stderr.contains(&format!("jixiao: project {id} ")),
            "{id} not listed:\n{stderr}"
        );
    }
    // The missing judgments are reported, not scored as zero: projects 1 and 2 (both under
    // the legal-aid scheme, as i % 5 ≠ 4) lack all 11 qualitative indicators the generator
    // judges (D1–D6, P5, B1–B4), one error each: 2 × 11 = 22.
    for id in ["01-2024-00001", "02-2024-00002"] {
        let heading = stderr
            .lines()
            .find(|l| l.starts_with(&format!("jixiao: project {id} ")))
            .unwrap_or_else(|| panic!("{id}:\n{stderr}"));
        assert!(
            heading.ends_with(" was not scored (11 error(s)):"),
            "{heading}"
        );
    }
    let unjudged =
        "error [indicator]: qualitative indicator (定性指标) has no judged tier and score: ";
    assert_eq!(stderr.matches(unjudged).count(), 22, "{stderr}");
    for indicator in [
        "D1", "D2", "D3", "D4", "D5", "D6", "P5", "B1", "B2", "B3", "B4",
    ] {
        let error = format!("{unjudged}\"{indicator}\" ");
        assert_eq!(stderr.matches(&error).count(), 2, "{indicator}\n{stderr}");
    }
    assert!(
        stderr.contains(&format!("spending.csv:{line}: error [amount]")),
        "{stderr}"
    );
    assert!(
        stderr.contains("9 project(s) scored, 3 not scored"),
        "{stderr}"
    );
    let results = json_lines(&out.stdout);
    assert_eq!(results.len(), 9);
    assert!(results.iter().all(|r| {
        !["01-2024-00001", "02-2024-00002", "03-2024-00003"]
            .contains(&r["project"]["id"].as_str().unwrap())
    }));
}

/// Fen as the summary writes money: thousands separators, two decimals.
fn grouped(fen: i64) -> String {
    let int = (fen / 100).to_string();
    let mut out = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    format!("{out}.{:02}", fen % 100)
}

#[test]
fn summary_table_csv_out_dir_and_one_project() {
    let b = bureau(15, 900, false, 0);
    let out = jixiao(&["score", "--lang", "en", "--all"], b.path());
    succeeded(&out);
    let table = String::from_utf8(out.stdout).unwrap();
    // The totals at the top, worked out here from the CSV rows of the same bureau (one
    // per project: name, budget, spent, execution rate, total, grade), in whole fen.
    let out = jixiao(&["score", "--format", "csv"], b.path());
    succeeded(&out);
    type Row = (String, String, i64, i64, Option<Decimal>, i64, String);
    let rows: Vec<Row> =
        csv::Reader::from_reader(out.stdout.strip_prefix("\u{FEFF}".as_bytes()).unwrap())
            .records()
            .map(|r| {
                let r = r.unwrap();
                let rate = (!r[5].is_empty()).then(|| r[5].parse().unwrap());
                (
                    r[0].to_string(),
                    r[1].to_string(),
                    fen(&r[3]),
                    fen(&r[4]),
                    rate,
                    fen(&r[6]),
                    r[7].to_string(),
                )
            })
            .collect();
    assert_eq!(rows.len(), 15);
    // Budget and spending summed in fen; the rate of the sums in hundredths of a percent,
    // half up: (spent × 10,000 × 2 + budget) / (2 × budget).
    let budget: i64 = rows.iter().map(|r| r.2).sum();
    let spent: i64 = rows.iter().map(|r| r.3).sum();
    let bp = (spent * 10_000 * 2 + budget) / (2 * budget);
    // Mean: Σ fen / 15, half a fen and more rounded up (totals are positive).
    let sum: i64 = rows.iter().map(|r| r.5).sum();
    let mean = (2 * sum + 15) / 30;
    // Median of 15: the 8th total from the lowest.
    let mut totals: Vec<i64> = rows.iter().map(|r| r.5).collect();
    totals.sort();
    let median = totals[7];
    let money = |fen: i64| format!("{}.{:02}", fen / 100, fen % 100);
    // All four grades, in their order, zeros included.
    let grades: Vec<String> = ["优", "良", "中", "差"]
        .iter()
        .map(|g| format!("{g} {}", rows.iter().filter(|r| r.6 == *g).count()))
        .collect();
    // A list names projects by name, with code and rate, the lowest rate first (then
    // code), at most 10, then how many more.
    let named = |mut of: Vec<&Row>| {
        of.sort_by(|a, b| a.4.cmp(&b.4).then_with(|| a.0.cmp(&b.0)));
        let shown: Vec<String> = of
            .iter()
            .take(10)
            .map(|r| {
                let pct = r.4.unwrap() * Decimal::ONE_HUNDRED;
                format!("{}（{}）{:.2}%", r.1, r.0, pct)
            })
            .collect();
        let more = of.len().saturating_sub(10);
        match of.len() {
            0 => "0".to_string(),
            n => format!(
                "{n} — {}{}",
                shown.join(", "),
                if more > 0 {
                    format!(", {more} more")
                } else {
                    String::new()
                }
            ),
        }
    };
    let below = |limit: &str| {
        let limit: Decimal = limit.parse().unwrap();
        named(
            rows.iter()
                .filter(|r| r.4.is_some_and(|rate| rate < limit))
                .collect(),
        )
    };
    let over: Vec<&Row> = rows.iter().filter(|r| r.3 > r.2).collect();
    let over_line = if over.is_empty() {
        String::new()
    } else {
        format!("Spent above the budget: {}\n", named(over))
    };
    let want = format!(
        "Projects: 15  scored: 15  not scored: 0\n\
         Budget (元): {}  Spent (元): {}  Execution: {}.{:02}%\n\
         Grades: {}\nMean: {}  Median: {}\n\
         Execution below 80%: {}\nExecution below 60%: {}\n{over_line}",
        grouped(budget),
        grouped(spent),
        bp / 100,
        bp % 100,
        grades.join("  "),
        money(mean),
        money(median),
        below("0.80"),
        below("0.60"),
    );
    // (the lines are broken to the screen: compared without the breaks and spaces)
    let bare = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    assert!(bare(&table).starts_with(&bare(&want)), "{want}\n{table}");
    // Then 主管部门 and the lowest scores; the list of every project last (--all).
    let by_department = table.find("By department:").unwrap();
    let lowest = table.find("The 15 lowest scores:").unwrap();
    let (_, list) = table.split_once("Every project, by score:").unwrap();
    assert!(want.len() <= by_department && by_department < lowest);
    // Sorted by score: the totals in the list never rise.
    let totals: Vec<f64> = list
        .lines()
        .filter(|l| l.starts_with("│ ") && l.contains("-2024-"))
        .map(|l| l.split('┆').nth(6).unwrap().trim().parse().unwrap())
        .collect();
    assert_eq!(totals.len(), 15);
    assert!(totals.windows(2).all(|w| w[0] >= w[1]), "{totals:?}");

    let out = jixiao(&["score", "--format", "csv"], b.path());
    let csv = String::from_utf8(out.stdout).unwrap();
    assert!(csv.starts_with(
        "\u{FEFF}project,name,department,budget,spent,execution_rate,total_score,grade,scheme,main_problem\r\n"
    ));
    assert_eq!(csv.lines().count(), 16);
    // Chinese headers by default (the helper asks for English)
    let out = cargo_bin_cmd!("jixiao")
        .args(["score", "--format", "csv"])
        .arg(b.path())
        .output()
        .unwrap();
    let csv = String::from_utf8(out.stdout).unwrap();
    assert!(csv.starts_with("\u{FEFF}项目编码,项目名称,主管部门,全年预算数（元）,"));

    // --output gets the same JSON Lines as stdout.
    let out = jixiao(&["score", "--format", "json"], b.path());
    succeeded(&out);
    let file = b.path().join("results.jsonl");
    let written = jixiao(
        &[
            "score",
            "--format",
            "json",
            "--output",
            file.to_str().unwrap(),
        ],
        b.path(),
    );
    succeeded(&written);
    assert_eq!(fs::read(&file).unwrap(), out.stdout);

    let dir = b.path().join("results");
    let out = jixiao(
        &["score", "--format", "json", "--out", dir.to_str().unwrap()],
        b.path(),
    );
    succeeded(&out);
    let one: Value =
        serde_json::from_str(&fs::read_to_string(dir.join("01-2024-00001.json")).unwrap()).unwrap();
    assert_eq!(one["project"]["id"], "01-2024-00001");
    assert_eq!(fs::read_dir(&dir).unwrap().count(), 15);

    // --project still scores one, with its scheme and department from projects.csv.
    let out = jixiao(
        &["score", "--format", "json", "--project", "05-2024-00005"],
        b.path(),
    );
    succeeded(&out);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["project"]["id"], "05-2024-00005");
    assert_eq!(v["scheme"]["id"], "project-self-evaluation");
    assert_eq!(v["project"]["department"], "市农业农村局");
}

#[test]
fn quotes_are_read_as_the_reader_reads_them() {
    let b = bureau(5, 200, false, 0);
    let spending = b.path().join("spending.csv");
    let original = fs::read_to_string(&spending).unwrap();
    // A quote inside an unquoted field is a literal character to a CSV reader: the fast
    // path reads it so too.
    let mut text = original.clone();
    text.push_str("01-2024-00001,2024-05-06,1.00,记-8888888,差旅费,5\"寸照片\n");
    fs::write(&spending, &text).unwrap();
    let fast = sums(b.path(), 2, 1024, false);
    assert!(fast.fast, "{:?}", fast.fallback);
    assert_eq!(fast.projects, sums(b.path(), 1, 1024, true).projects);

    // Text after a closing quote the reader would join to the field: the fast path
    // leaves the whole file to the reader.
    let mut text = original;
    text.push_str("01-2024-00001,2024-05-06,\"1.00\"0,记-8888889,差旅费,照片\n");
    fs::write(&spending, &text).unwrap();
    let fast = sums(b.path(), 2, 1024, false);
    assert!(!fast.fast);
    assert_eq!(fast.fallback.as_deref(), Some("text after a closing quote"));
    assert_eq!(fast.projects, sums(b.path(), 1, 1024, true).projects);
}

#[test]
fn vouchers_given_twice_are_found_across_parts() {
    vouchers_given_twice(false);
}

/// The same in a GBK ledger, whose vouchers are decoded straight into the part's texts.
#[test]
fn vouchers_given_twice_are_found_in_a_gbk_ledger() {
    vouchers_given_twice(true);
}

fn vouchers_given_twice(gbk: bool) {
    let b = bureau(5, 200, false, 0);
    let spending = b.path().join("spending.csv");
    let mut text = fs::read_to_string(&spending).unwrap();
    let before = text
        .lines()
        .filter(|l| l.starts_with("01-2024-00001,"))
        .count();
    // All of project 1's rows are among the first 64 with a voucher, so all are checked.
    assert!(before + 3 <= ledger::VOUCHER_ROWS_CHECKED, "{before}");
    let first = text.lines().count() + 1;
    // The same voucher three times; the third in full-width characters, which fold to the
    // same text.
    text.push_str("01-2024-00001,2024-06-01,10.00,记-X001,差旅费,出差\n");
    text.push_str("01-2024-00001,2024-06-02,20.00,记-X001,差旅费,出差\n");
    text.push_str("01-2024-00001,2024-06-03,30.00,记－Ｘ００１,差旅费,出差\n");
    if gbk {
        let (bytes, _, unmappable) = encoding_rs::GB18030.encode(&text);
        assert!(!unmappable);
        fs::write(&spending, &bytes).unwrap();
    } else {
        fs::write(&spending, &text).unwrap();
    }
    let reference = sums(b.path(), 1, ledger::PART_SIZE, true);
    let p = &reference.projects["01-2024-00001"];
    assert_eq!(p.duplicates_total, 2);
    let found: Vec<(usize, usize, &str)> = p
        .duplicates
        .iter()
        .map(|d| (d.line, d.first_line, d.voucher.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            (first + 1, first, "记-X001"),
            (first + 2, first, "记－Ｘ００１")
        ]
    );
    for (threads, part) in [
        (1, 64),
        (2, 64),
        (2, 300),
        (3, 1000),
        (2, ledger::PART_SIZE),
    ] {
        let fast = sums(b.path(), threads, part, false);
        assert!(fast.fast, "{:?}", fast.fallback);
        assert_eq!(
            fast.projects, reference.projects,
            "{threads} threads, {part}"
        );
    }
}

#[test]
fn long_project_codes_and_projects_outside_the_budget_sum_alike() {
    let b = bureau(4, 400, false, 0);
    // A code longer than 15 bytes is looked up by its bytes, not packed.
    let long = "01-2024-00001-法律援助中心专项";
    for file in [
        "budget.csv",
        "spending.csv",
        "outputs.csv",
        "judgments.csv",
        "projects.csv",
    ] {
        let path = b.path().join(file);
        let text = fs::read_to_string(&path).unwrap();
        fs::write(&path, text.replace("01-2024-00001", long)).unwrap();
    }
    let spending = b.path().join("spending.csv");
    let mut text = fs::read_to_string(&spending).unwrap();
    text.push_str("99-2024-99999,2024-03-01,5.00,记-1,差旅费,不在预算中\n");
    // Dates and amounts of other forms, in full-width digits too, go through the full
    // parsers: 12.50 + 1,234.00 + 6.79万 = 69,146.50 more for project 2.
    text.push_str("02-2024-00002,2024年3月1日,１２.５０,记-2,差旅费,全角\n");
    text.push_str("02-2024-00002,2024/3/2,\"1,234.00\",记-3,差旅费,千分位\n");
    text.push_str("02-2024-00002,20240303,6.79万,记-4,差旅费,万元\n");
    fs::write(&spending, text).unwrap();
    let reference = sums(b.path(), 1, ledger::PART_SIZE, true);
    assert!(reference.projects[long].rows > 0);
    assert_eq!(reference.projects["99-2024-99999"].rows, 1);
    let plain = bureau(4, 400, false, 0);
    let before = sums(plain.path(), 1, ledger::PART_SIZE, true).projects["02-2024-00002"].spent;
    assert_eq!(
        reference.projects["02-2024-00002"].spent - before,
        "69146.50".parse().unwrap()
    );
    for (threads, part) in [(1, 100), (2, 257), (2, ledger::PART_SIZE)] {
        let fast = sums(b.path(), threads, part, false);
        assert!(fast.fast, "{:?}", fast.fallback);
        assert_eq!(
            fast.projects, reference.projects,
            "{threads} threads, {part}"
        );
    }
}
