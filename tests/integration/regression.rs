//! One test per defect found, named for it (ripgrep's habit): each failed before its fix.
//! Keep adding one per bug.

use assert_cmd::cargo::cargo_bin_cmd;
use serde_json::Value;
use std::fs;
use std::path::Path;
use std::process::Output;
use tempfile::TempDir;

use crate::{bureau, hostile_scheme};

/// A seeded five-project bureau (budget, spending, outputs, judgments, projects.csv and the
/// two schemes), as a new user makes one with `examples/bureau`.
fn five_projects() -> TempDir {
    let tmp = TempDir::new().unwrap();
    bureau::generate(&bureau::Options {
        projects: 5,
        rows: 300,
        gbk: false,
        seed: 7,
        unjudged: 0,
        out: tmp.path().to_path_buf(),
    });
    tmp
}

fn run(dir: &Path, args: &[&str]) -> Output {
    cargo_bin_cmd!("jixiao")
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The line number (1-based) of the first row of `project` in `file`, and the line itself.
fn first_row_of(dir: &Path, file: &str, project: &str) -> (usize, String) {
    let text = fs::read_to_string(dir.join(file)).unwrap();
    text.lines()
        .enumerate()
        .find(|(_, l)| l.starts_with(&format!("{project},")))
        .map(|(i, l)| (i + 1, l.to_string()))
        .unwrap()
}

/// Replace line `n` (1-based) of `file`.
fn set_line(dir: &Path, file: &str, n: usize, line: &str) {
    let text = fs::read_to_string(dir.join(file)).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    lines[n - 1] = line;
    fs::write(dir.join(file), lines.join("\n") + "\n").unwrap();
}

/// The projects of a batch's JSON Lines.
fn scored(out: &Output) -> Vec<String> {
    stdout(out)
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            v["project"]["id"].as_str().unwrap().to_string()
        })
        .collect()
}

const P1: &str = "01-2024-00001";

use crate::fixture::sample;

#[test]
fn a_spending_row_too_wide_fails_its_project_in_the_batch_and_alone() {
    let b = five_projects();
    let dir = b.path();
    // A row with one field too many (7 where the header has 6): it cannot be summed, so its
    // project's 全年执行数 is unknown. The batch used to publish the project's score as if
    // the row were not there, and file the error under no project.
    let (n, line) = first_row_of(dir, "spending.csv", P1);
    set_line(dir, "spending.csv", n, &format!("{line},extra"));

    let batch = run(
        dir,
        &["--lang", "en", "score", ".", "--format", "json", "-q"],
    );
    assert_eq!(batch.status.code(), Some(1), "{}", stderr(&batch));
    let ids = scored(&batch);
    // 5 projects − the one with the bad row = 4 scored
    assert_eq!(ids.len(), 4, "{ids:?}");
    assert!(!ids.contains(&P1.to_string()));
    let err = stderr(&batch);
    assert!(
        err.contains(&format!("project {P1} ")) && err.contains("was not scored"),
        "{err}"
    );
    assert!(err.contains(&format!("spending.csv:{n}: error")), "{err}");

    // Alone, the same project fails with the same error.
    let alone = run(
        dir,
        &[
            "--lang",
            "en",
            "score",
            ".",
            "--project",
            P1,
            "--format",
            "json",
        ],
    );
    assert_eq!(alone.status.code(), Some(1));
    assert!(stdout(&alone).is_empty());
    assert!(
        stderr(&alone).contains(&format!("spending.csv:{n}: error")),
        "{}",
        stderr(&alone)
    );
}

#[test]
fn explain_report_and_export_work_on_a_bureau_folder_with_project() {
    let b = five_projects();
    let dir = b.path();
    // They used to fail with "cannot read the scheme file" naming an empty path: the scheme
    // of a bureau comes from projects.csv, which only `score` read.
    let explain = run(
        dir,
        &["--lang", "en", "explain", ".", "P1", "--project", P1],
    );
    assert_eq!(explain.status.code(), Some(0), "{}", stderr(&explain));
    assert!(stdout(&explain).contains("P1"), "{}", stdout(&explain));

    let report = run(dir, &["--lang", "en", "report", ".", "--project", P1]);
    assert_eq!(report.status.code(), Some(0), "{}", stderr(&report));
    // The title names the project (its generated name ends in 项目1).
    assert!(
        stdout(&report).contains("项目1项目绩效评价报告"),
        "{}",
        stdout(&report)
    );

    let export = run(
        dir,
        &["export", ".", "--project", P1, "--xlsx", "form.xlsx"],
    );
    assert_eq!(export.status.code(), Some(0), "{}", stderr(&export));
    assert!(dir.join("form.xlsx").is_file());

    // Without --project on a bureau, each says which projects there are.
    let unchosen = run(dir, &["--lang", "en", "explain", ".", "P1"]);
    assert_eq!(unchosen.status.code(), Some(1));
    // The message carries no code, so the old "JX0105 or the code" check passed on any
    // listing: it must say there are five projects and name the first.
    let err = stderr(&unchosen);
    assert!(
        err.contains("the budget holds 5 projects; say which one to score")
            && err.contains(&format!("projects: {P1}, ")),
        "{err}"
    );
}

#[test]
fn check_finds_a_bad_amount_in_a_bureau_ledger() {
    let b = five_projects();
    let dir = b.path();
    // A bureau has no evaluation.toml: `check` used to skip the folder and exit 0.
    let (n, line) = first_row_of(dir, "spending.csv", P1);
    let cells: Vec<&str> = line.splitn(4, ',').collect();
    let bad = format!("{},{},12.3.4,{}", cells[0], cells[1], cells[3]);
    set_line(dir, "spending.csv", n, &bad);
    let out = run(dir, &["check", "."]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let text = stdout(&out);
    assert!(text.contains("12.3.4"), "{text}");
    assert!(text.contains(&format!("spending.csv:{n}")), "{text}");
}

#[test]
fn check_on_a_bureau_with_evaluation_toml_reports_no_project_choice() {
    let b = five_projects();
    let dir = b.path();
    // evaluation.toml naming the department, no project: the folder is a bureau, not one
    // project to choose (check used to report JX0105 "say which one to score").
    fs::write(dir.join("evaluation.toml"), "department = \"市财政局\"\n").unwrap();
    let out = run(dir, &["check", "."]);
    let text = stdout(&out);
    assert!(!text.contains("JX0105"), "{text}");
    assert_eq!(out.status.code(), Some(0), "{text}");
}

#[test]
fn a_row_whose_project_cannot_be_read_stops_every_project() {
    let b = five_projects();
    let dir = b.path();
    // A byte that is not UTF-8 in the project cell: the row's money could belong to any
    // project, so no project may be published as if the row did not exist.
    let (n, line) = first_row_of(dir, "spending.csv", P1);
    let mut bytes = fs::read(dir.join("spending.csv")).unwrap();
    let text = String::from_utf8(bytes.clone()).unwrap();
    let at = text.lines().take(n - 1).map(|l| l.len() + 1).sum::<usize>();
    assert!(line.starts_with("01-"));
    bytes[at + 1] = 0xFF; // "01-…" → "0\xFF-…"
    fs::write(dir.join("spending.csv"), bytes).unwrap();
    let out = run(
        dir,
        &[
            "score",
            ".",
            "--encoding",
            "utf-8",
            "--format",
            "json",
            "-q",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(scored(&out).is_empty(), "{}", stdout(&out));
    assert!(
        stderr(&out).contains(&format!("spending.csv:{n}")),
        "{}",
        stderr(&out)
    );
}

#[test]
fn the_scheme_flag_wins_over_projects_csv_in_the_batch_too() {
    let b = five_projects();
    let dir = b.path();
    // One rule for where a project's scheme comes from: --scheme, else the project's row of
    // projects.csv, else evaluation.toml. The batch used to let projects.csv win over the
    // flag, `score --project` the flag. Projects 1–4 are legal-aid projects in projects.csv:
    // under the self-evaluation scheme their outputs give none of its metrics, so they fail;
    // project 5 is a self-evaluation project and is scored.
    let batch = run(
        dir,
        &[
            "--lang",
            "en",
            "score",
            ".",
            "--scheme",
            "self-evaluation.toml",
            "--format",
            "json",
            "-q",
        ],
    );
    assert_eq!(batch.status.code(), Some(1));
    assert_eq!(scored(&batch), ["05-2024-00005"]);
    let err = stderr(&batch);
    assert!(err.contains("\"output_quantity_rate\""), "{err}");

    let one = run(
        dir,
        &[
            "--lang",
            "en",
            "score",
            ".",
            "--project",
            P1,
            "--scheme",
            "self-evaluation.toml",
        ],
    );
    assert_eq!(one.status.code(), Some(1));
    assert!(stderr(&one).contains("\"output_quantity_rate\""));
}

/// A GBK record with a quoted line break, read in two pieces of which the second is
/// plain ASCII: its fields are GBK all the same. `模` is C4 A3 in GBK, which is also
/// valid UTF-8 (`ģ`): read as UTF-8 the project would silently become another one
/// (`张`, D5 C5, is not UTF-8: the file is GBK).
#[test]
fn a_gbk_record_split_before_an_ascii_piece_is_not_summed_as_utf8() {
    let years = std::collections::HashMap::from([("模X".to_string(), 2024)]);
    let text = format!(
        "project,date,amount,voucher,category,description\n\
         模X,2024-03-01,1.00,V1,张,\"a\n{}\"\n",
        "b".repeat(300)
    );
    let (bytes, _, unmappable) = encoding_rs::GBK.encode(&text);
    assert!(!unmappable);
    for block_size in [64, 97, 256] {
        crate::ledger::compare(&bytes, &years, 1, block_size);
    }
}

#[test]
fn explain_on_a_folder_whose_budget_is_missing_says_the_file_cannot_be_read() {
    let b = five_projects();
    let dir = b.path();
    fs::remove_file(dir.join("budget.csv")).unwrap();
    fs::remove_file(dir.join("projects.csv")).unwrap();
    fs::write(dir.join("evaluation.toml"), "scheme = \"legal-aid.toml\"\n").unwrap();
    // Asked which project to explain, the loader used to answer "the budget has no rows"
    // for a budget it could not open.
    let out = run(dir, &["--lang", "en", "explain", ".", "P1"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.starts_with("./budget.csv: error: cannot open:"),
        "{err}"
    );
    assert!(!err.contains("no rows"), "{err}");
}

#[test]
fn check_shows_a_gbk_ledger_line_in_chinese_and_reads_only_that_line() {
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path();
    bureau::generate(&bureau::Options {
        projects: 3,
        rows: 200,
        gbk: true,
        seed: 7,
        unjudged: 0,
        out: dir.to_path_buf(),
    });
    // Line 2 is the first data row: its amount made unreadable.
    let bytes = fs::read(dir.join("spending.csv")).unwrap();
    let text = encoding_rs::GB18030.decode(&bytes).0.into_owned();
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    let mut cells: Vec<String> = lines[1].split(',').map(String::from).collect();
    cells[2] = "12.3.4".into();
    lines[1] = cells.join(",");
    let shown = lines[1].clone();
    let text = lines.join("\n") + "\n";
    fs::write(
        dir.join("spending.csv"),
        encoding_rs::GB18030.encode(&text).0,
    )
    .unwrap();
    // The snippet used to be the GBK bytes shown as UTF-8 (�), from a copy of the whole
    // file made for every finding.
    let out = run(dir, &["check", "."]);
    assert_eq!(out.status.code(), Some(1));
    let report = stdout(&out);
    assert!(report.contains(&format!("2 | {shown}")), "{report}");
    assert!(!report.contains('\u{FFFD}'), "{report}");
}

#[test]
fn a_budget_row_given_twice_is_a_warning_not_a_silent_halving() {
    let (_tmp, dir) = sample();
    let budget = fs::read_to_string(dir.join("budget.csv")).unwrap();
    let row = budget.lines().nth(1).unwrap().to_string();
    fs::write(dir.join("budget.csv"), format!("{budget}{row}\n")).unwrap();
    let out = run(&dir, &["score", ".", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    // Counted twice, as written: 67,900 / (2 × 100,000) = 33.95%; and now said.
    assert_eq!(v["metrics"]["execution_rate"], 0.3395);
    let warnings = v["warnings"].to_string();
    assert!(
        warnings.contains("JX1103") && warnings.contains("repeats line 2"),
        "{warnings}"
    );
}

#[cfg(unix)]
#[test]
fn a_fifo_or_a_device_as_an_input_is_refused_not_waited_on() {
    let b = five_projects();
    let dir = b.path();
    // A FIFO under the ledger's name: reading it used to wait forever for a writer.
    fs::remove_file(dir.join("spending.csv")).unwrap();
    let made = std::process::Command::new("mkfifo")
        .arg(dir.join("spending.csv"))
        .status()
        .unwrap();
    assert!(made.success());
    let out = cargo_bin_cmd!("jixiao")
        .args(["--lang", "en"])
        .args(["score", ".", "-q"])
        .current_dir(dir)
        .timeout(std::time::Duration::from_secs(20))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("spending.csv: error: cannot open: not a regular file"),
        "{}",
        stderr(&out)
    );
    // /dev/zero never ends: refused the same way when named on the command line (a link
    // to it inside the folder is refused before, as leading out of the allowed root).
    fs::remove_file(dir.join("spending.csv")).unwrap();
    let out = cargo_bin_cmd!("jixiao")
        .args(["--lang", "en"])
        .args(["score", ".", "-q", "--spending", "/dev/zero"])
        .current_dir(dir)
        .timeout(std::time::Duration::from_secs(20))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("not a regular file"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn control_characters_in_a_cell_never_reach_the_terminal() {
    let b = five_projects();
    let dir = b.path();
    // A spending row whose project code starts with an OSC sequence (retitles a terminal),
    // a clear-screen sequence and a byte-order mark: it names no project of the budget.
    let (n, line) = first_row_of(dir, "spending.csv", P1);
    let evil = line.replacen(P1, "\u{1b}]0;pwned\u{7}\u{1b}[2J\u{feff}RJ-001", 1);
    set_line(dir, "spending.csv", n, &evil);
    for args in [&["score", ".", "-q"][..], &["check", "."][..]] {
        let out = run(dir, args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        for stream in [&out.stdout, &out.stderr] {
            let text = String::from_utf8_lossy(stream);
            assert!(
                !text.contains(['\u{1b}', '\u{7}', '\u{feff}']),
                "{args:?}: {text:?}"
            );
        }
        let all = format!("{}{}", stdout(&out), stderr(&out));
        // Shown, escaped, where the code was.
        assert!(
            all.contains("\\u{1b}]0;pwned\\u{7}\\u{1b}[2J\\u{feff}RJ-001"),
            "{args:?}: {all}"
        );
    }
}

#[test]
fn out_dir_gives_every_project_its_own_file() {
    let b = five_projects();
    let dir = b.path();
    // Three projects whose codes differ only in a character a file name cannot hold: they
    // all used to be written to 01-2024-00001_x.json, each over the last, exit 0.
    for (file, column) in [("budget.csv", 0), ("spending.csv", 0), ("outputs.csv", 0)] {
        let text = fs::read_to_string(dir.join(file)).unwrap();
        let mut lines: Vec<String> = text.lines().map(String::from).collect();
        let mut renamed = 0;
        for l in lines.iter_mut() {
            let cells: Vec<&str> = l.split(',').collect();
            let new = match cells.get(column) {
                Some(&"02-2024-00002") => Some("01-2024-00001/x"),
                Some(&"03-2024-00003") => Some("01-2024-00001_x"),
                Some(&"04-2024-00004") => Some("01-2024-00001:x"),
                _ => None,
            };
            if let Some(new) = new {
                *l = l.replacen(cells[column], new, 1);
                renamed += 1;
            }
        }
        assert!(renamed > 0, "{file}");
        fs::write(dir.join(file), lines.join("\n") + "\n").unwrap();
    }
    for file in ["judgments.csv", "projects.csv"] {
        let text = fs::read_to_string(dir.join(file)).unwrap();
        let text = text
            .replace("02-2024-00002,", "01-2024-00001/x,")
            .replace("03-2024-00003,", "01-2024-00001_x,")
            .replace("04-2024-00004,", "01-2024-00001:x,");
        fs::write(dir.join(file), text).unwrap();
    }
    let out = run(
        dir,
        &["score", ".", "-q", "--format", "json", "--out", "results"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let mut names: Vec<String> = fs::read_dir(dir.join("results"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    // 5 projects, 5 files; '/' is 0x2F and ':' is 0x3A.
    assert_eq!(
        names,
        [
            "01-2024-00001%2Fx.json",
            "01-2024-00001%3Ax.json",
            "01-2024-00001.json",
            "01-2024-00001_x.json",
            "05-2024-00005.json",
        ]
    );
}

#[cfg(unix)]
#[test]
fn output_onto_a_symbolic_link_or_a_device_is_refused() {
    let b = five_projects();
    let dir = b.path();
    fs::write(dir.join("target.txt"), "kept").unwrap();
    std::os::unix::fs::symlink(dir.join("target.txt"), dir.join("link.txt")).unwrap();
    // The rename used to replace the link itself with a regular file.
    let out = run(
        dir,
        &[
            "score",
            ".",
            "--lang",
            "en",
            "--project",
            P1,
            "-o",
            "link.txt",
        ],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("symbolic link"), "{}", stderr(&out));
    assert!(
        fs::symlink_metadata(dir.join("link.txt"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(fs::read_to_string(dir.join("target.txt")).unwrap(), "kept");
    let out = run(dir, &["score", ".", "--project", P1, "-o", "/dev/null"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        // In Chinese by default: the library's reason, in the user's language.
        stderr(&out)
            .contains("jixiao：无法写入 /dev/null：这不是普通文件（而是设备、管道或套接字）"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn the_markdown_report_shows_html_and_links_from_inputs_as_text() {
    let (_tmp, dir) = sample();
    // A submitted narrative with a script, an image that fetches an address, and a link:
    // the Markdown draft used to insert them raw, live in any Markdown viewer.
    let narrative = fs::read_to_string(dir.join("narrative.toml")).unwrap();
    let narrative = narrative.replacen(
        "overview = \"\"\"\n",
        "overview = \"\"\"\n<script>alert(1)</script><img src=x onerror=alert(2)>![t](http://example.invalid/p.png)[点此](http://example.invalid)\n",
        1,
    );
    fs::write(dir.join("narrative.toml"), narrative).unwrap();
    let out = run(&dir, &["report", "."]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let md = stdout(&out);
    assert!(!md.contains("<script>") && !md.contains("<img"), "{md}");
    assert!(
        md.contains("&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;"),
        "{md}"
    );
    // `](` broken: neither the image nor the link forms.
    assert!(md.contains("![t]\\(http://example.invalid/p.png)"), "{md}");
    assert!(md.contains("[点此]\\(http://example.invalid)"), "{md}");
}

#[test]
fn spending_above_the_budget_is_a_warning_not_silent_full_marks() {
    let b = five_projects();
    let dir = b.path();
    // Project 1's budget cut to 1,000.00 元: its ledger spends far more, and the execution
    // rate indicator used to give full marks with nothing said.
    let (n, line) = first_row_of(dir, "budget.csv", P1);
    let cells: Vec<&str> = line.split(',').collect();
    let cut = format!(
        "{},{},{},1000.00,1000.00,1000.00,{}",
        cells[0], cells[1], cells[2], cells[6]
    );
    set_line(dir, "budget.csv", n, &cut);
    let out = run(dir, &["score", ".", "--project", P1, "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let warnings = v["warnings"].to_string();
    assert!(
        warnings.contains("JX1104") && warnings.contains("more than its 全年预算数"),
        "{warnings}"
    );
    // The bureau's summary names it.
    let summary = run(dir, &["score", ".", "-q"]);
    assert!(
        stdout(&summary).contains("支出超过全年预算数：1 — ")
            && stdout(&summary).contains(&format!("（{P1}）")),
        "{}",
        stdout(&summary)
    );
}

#[test]
fn one_project_of_a_bureau_says_that_others_have_problems() {
    let b = five_projects();
    let dir = b.path();
    // A bad amount in project 2's rows: it changes nothing of project 1, and `score
    // --project` of project 1 used to say nothing about it.
    let (n, line) = first_row_of(dir, "spending.csv", "02-2024-00002");
    let cells: Vec<&str> = line.splitn(4, ',').collect();
    set_line(
        dir,
        "spending.csv",
        n,
        &format!("{},{},1.2.3,{}", cells[0], cells[1], cells[3]),
    );
    let out = run(
        dir,
        &[
            "--lang",
            "en",
            "score",
            ".",
            "--project",
            P1,
            "--format",
            "json",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("1 error(s) and 0 warning(s) in the rows of 1 other project(s)"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_spent_of_minus_zero_prints_the_same_alone_and_in_the_batch() {
    let b = five_projects();
    let dir = b.path();
    // Project 1's only spending is "-0.00": a single run used to print -0.00 and the batch
    // 0.00. One path now: both print 0.00.
    let text = fs::read_to_string(dir.join("spending.csv")).unwrap();
    let mut lines: Vec<String> = text
        .lines()
        .filter(|l| !l.starts_with(&format!("{P1},")))
        .map(String::from)
        .collect();
    lines.push(format!("{P1},2024-03-01,-0.00,记-X,办案补贴,冲销"));
    fs::write(dir.join("spending.csv"), lines.join("\n") + "\n").unwrap();
    let alone = run(dir, &["score", ".", "--project", P1, "--format", "json"]);
    let v: Value = serde_json::from_str(&stdout(&alone)).unwrap();
    assert_eq!(v["metrics"]["spent"], "0.00", "{}", stderr(&alone));
    let batch = run(dir, &["score", ".", "-q", "--format", "json"]);
    let line = stdout(&batch)
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .find(|v| v["project"]["id"] == P1)
        .unwrap();
    assert_eq!(line["metrics"]["spent"], "0.00");
}

#[test]
fn explain_of_whole_steps_shows_the_quotient_before_the_whole_part() {
    // Q10: gap 95% − 92.5% = 2.5%, step 1%: 2.5 steps, whole part 2. The line used to read
    // "steps 2.50% / 1.00% = , whole steps 2" (the quotient missing), and the English
    // deduction line carried a Chinese "；".
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = run(
        root,
        &[
            "explain",
            "--lang",
            "en",
            "tests/fixtures/every-rule",
            "Q10",
        ],
    );
    let text = stdout(&out);
    assert!(
        text.contains("steps 2.50% / 1.00% = 2.5, whole steps 2"),
        "{text}"
    );
    // 2 × 0.5 = 1 deducted; 4 − 1 = 3
    assert!(text.contains("deduction 2 × 0.5 = 1; 4 − 1 = 3"), "{text}");
    assert!(!text.contains('；'), "{text}");
}

#[test]
fn reverse_deviation_at_twice_the_target_says_zero_not_a_formula_that_equals_zero() {
    // Q5: 1700 against ≤ 800: (1 − 900/800) × 4 = −0.5, which the rule stops at 0. The
    // table's basis used to print "(1 − (1700 − 800) / 800) × 4 = 0.00", false arithmetic.
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = run(
        root,
        &["score", "tests/fixtures/every-rule", "--format", "json"],
    );
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let q5 = v["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == "Q5")
        .unwrap();
    assert_eq!(q5["basis"], "1700元/件 ≥ 2 × 800元/件，得 0 分");
}

/// A folder like the ones a department submits, inside a bureau's repository (the
/// current folder, the allowed root): `bureau/submissions/legal-aid` with the sample's
/// files and its scheme beside them, and a secret file outside the bureau.
fn submitted() -> (TempDir, std::path::PathBuf) {
    let tmp = TempDir::new().unwrap();
    let bureau = tmp.path().join("bureau");
    let dir = bureau.join("submissions/legal-aid");
    fs::create_dir_all(&dir).unwrap();
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/legal-aid-2022");
    for e in fs::read_dir(&sample).unwrap() {
        let e = e.unwrap();
        fs::copy(e.path(), dir.join(e.file_name())).unwrap();
    }
    let scheme = Path::new(env!("CARGO_MANIFEST_DIR")).join("indicators/legal-aid-2022.toml");
    fs::copy(scheme, dir.join("scheme.toml")).unwrap();
    let eval = fs::read_to_string(dir.join("evaluation.toml")).unwrap();
    fs::write(
        dir.join("evaluation.toml"),
        eval.replace("../../indicators/legal-aid-2022.toml", "scheme.toml"),
    )
    .unwrap();
    fs::write(tmp.path().join("secret.csv"), "TOKEN=hunter2\n").unwrap();
    (tmp, bureau)
}

#[test]
fn a_submitted_folder_cannot_make_check_print_a_file_outside_the_root() {
    let (tmp, bureau) = submitted();
    let dir = bureau.join("submissions/legal-aid");
    let eval = fs::read_to_string(dir.join("evaluation.toml")).unwrap();
    // [files] budget = "../../../secret.csv": the budget's "missing column" error used to
    // quote the secret's first line.
    fs::write(
        dir.join("evaluation.toml"),
        format!("{eval}\n[files]\nbudget = \"../../../secret.csv\"\n"),
    )
    .unwrap();
    let out = run(&bureau, &["--lang", "en", "check", "."]);
    let text = stdout(&out) + &stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("JX0107"), "{text}");
    assert!(text.contains("files.budget"), "{text}");
    assert!(!text.contains("hunter2"), "{text}");
    // scheme = "/proc/self/environ": the environment used to come back as TOML errors
    fs::write(
        dir.join("evaluation.toml"),
        eval.replace(
            "scheme = \"scheme.toml\"",
            "scheme = \"/proc/self/environ\"",
        ),
    )
    .unwrap();
    let out = cargo_bin_cmd!("jixiao")
        .args(["--lang", "en"])
        .args(["check", "."])
        .current_dir(&bureau)
        .env("JIXIAO_SECRET_TOKEN", "hunter2")
        .output()
        .unwrap();
    let text = stdout(&out) + &stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("JX0107"), "{text}");
    assert!(!text.contains("hunter2"), "{text}");
    // budget.csv a link to the secret: refused, in score too
    fs::write(dir.join("evaluation.toml"), &eval).unwrap();
    fs::remove_file(dir.join("budget.csv")).unwrap();
    std::os::unix::fs::symlink(tmp.path().join("secret.csv"), dir.join("budget.csv")).unwrap();
    let out = run(&bureau, &["--lang", "en", "score", "submissions/legal-aid"]);
    let text = stdout(&out) + &stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("outside the allowed root"), "{text}");
    assert!(!text.contains("hunter2"), "{text}");
    // --root widens it: the link is then read (and its lack of columns reported)
    let out = run(
        &bureau,
        &[
            "--lang",
            "en",
            "score",
            "submissions/legal-aid",
            "--root",
            tmp.path().to_str().unwrap(),
        ],
    );
    assert!(stderr(&out).contains("missing column"), "{}", stderr(&out));
}

#[test]
fn check_does_not_follow_a_link_to_a_folder_out_of_the_root() {
    let (tmp, bureau) = submitted();
    // a link to the folder above the bureau: check used to walk it (and a link to / the
    // whole file system)
    std::os::unix::fs::symlink(tmp.path(), bureau.join("submissions/up")).unwrap();
    fs::write(tmp.path().join("other.toml"), "[scheme]\nid = \"secret\"\n").unwrap();
    let out = run(&bureau, &["check", "."]);
    let text = stdout(&out) + &stderr(&out);
    // other.toml, a broken scheme (no title, no dimension), would fail the run if the
    // link were followed; the submission itself is clean: nothing to say
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert_eq!(text, "");
    // a scheme file that is a link out of the root is reported, not read
    std::os::unix::fs::symlink(
        tmp.path().join("other.toml"),
        bureau.join("submissions/linked.toml"),
    )
    .unwrap();
    let out = run(&bureau, &["check", "."]);
    let text = stdout(&out) + &stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("JX0107"), "{text}");
    assert!(text.contains("linked.toml"), "{text}");
}

#[test]
fn a_formula_of_100k_terms_is_an_error_not_a_stack_overflow() {
    let (_tmp, bureau) = submitted();
    let dir = bureau.join("submissions/legal-aid");
    let scheme = fs::read_to_string(dir.join("scheme.toml")).unwrap();
    // `cases_civil + 0 + 0 + …` of 100,001 terms: parsing it recursed once per term and
    // aborted the process (exit 134) in check and in score alike
    let long = format!("cases_civil{}", " + 0".repeat(100_000));
    fs::write(
        dir.join("scheme.toml"),
        scheme.replace(
            "formula = \"cases_civil + cases_criminal\"",
            &format!("formula = \"{long}\""),
        ),
    )
    .unwrap();
    for args in [
        &["--lang", "en", "check", "."][..],
        &["--lang", "en", "score", "submissions/legal-aid"][..],
    ] {
        let out = run(&bureau, args);
        let text = stdout(&out) + &stderr(&out);
        assert_eq!(
            out.status.code(),
            Some(1),
            "{args:?}: {}",
            &text[..text.len().min(2000)]
        );
        if args[2] == "check" {
            assert!(text.contains("JX0007"), "{}", &text[..text.len().min(2000)]);
        }
        assert!(
            text.contains("too long"),
            "{args:?}: {}",
            &text[..text.len().min(2000)]
        );
        // the formula is not echoed whole: 100k terms would be 400 KB of output
        assert!(text.len() < 20_000, "{args:?}: {} bytes", text.len());
    }
}

/// The sample project with its outputs as a workbook: the CSV's rows written to sheet 1,
/// then `extra` cells (row, column, text), 0-based.
fn outputs_workbook(extra: &[(u32, u16, &str)]) -> (TempDir, std::path::PathBuf) {
    let (tmp, bureau) = submitted();
    let dir = bureau.join("submissions/legal-aid");
    let csv = fs::read_to_string(dir.join("outputs.csv")).unwrap();
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (r, line) in csv.lines().enumerate() {
        for (c, cell) in line.split(',').enumerate() {
            sheet.write_string(r as u32, c as u16, cell).unwrap();
        }
    }
    for (r, c, text) in extra {
        sheet.write_string(*r, *c, *text).unwrap();
    }
    book.save(dir.join("outputs.xlsx")).unwrap();
    fs::remove_file(dir.join("outputs.csv")).unwrap();
    (tmp, bureau)
}

#[test]
fn a_workbook_with_a_cell_at_xfd1048576_is_an_error_not_a_512_gb_allocation() {
    // the sample's outputs as a workbook score as the CSV does (the control)
    let (_tmp, bureau) = outputs_workbook(&[]);
    let out = run(&bureau, &["score", "submissions/legal-aid"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // one more cell at the sheet's last row and column (0-based 1,048,575 and 16,383): the
    // whole-sheet range asked for 1,048,576 × 16,384 cells and aborted (exit 134)
    let (_tmp, bureau) = outputs_workbook(&[(1_048_575, 16_383, "x")]);
    let out = run(&bureau, &["score", "submissions/legal-aid", "--lang", "en"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    // XFD is column 16,384 (X = 24, F = 6, D = 4: 24 × 26² + 6 × 26 + 4 = 16,384), 16,383
    // right of A
    assert!(
        err.contains("cell XFD1048576 lies 16383 columns right of the table's first column A"),
        "{err}"
    );
    assert!(err.contains("outputs.xlsx"), "{err}");
    // a far row in the table's columns is read (and is just one more row): the sheet is
    // not materialised down to it
    let (_tmp, bureau) = outputs_workbook(&[(1_048_575, 0, "RJ-SFJ-2022-001")]);
    let out = run(&bureau, &["score", "submissions/legal-aid"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("outputs.xlsx:1048576"), "{err}");
}

#[test]
fn a_metric_near_the_decimal_limit_is_an_error_not_an_overflow_panic() {
    let (_tmp, bureau) = submitted();
    let dir = bureau.join("submissions/legal-aid");
    let scheme = fs::read_to_string(dir.join("scheme.toml")).unwrap();
    // cases_total = 105 × −7.5 × 10^26 = −7.875 × 10^28, inside the decimal type (±7.9 ×
    // 10^28) but not inside the inputs' bound (±10^15); the rules' own arithmetic on it
    // (actual − target, times points) overflowed and panicked (exit 101)
    let scheme = scheme.replace(
        "formula = \"cases_civil + cases_criminal\"",
        "formula = \"cases_civil * -750000000000000000000000000\"",
    );
    for rule in [
        "rule = { kind = \"deduct_per_point\", step = \"1 件\", points = 0.5 }",
        "rule = { kind = \"tolerance\", within = \"5%\", zero_at = \"20%\" }",
    ] {
        let target = if rule.contains("tolerance") {
            "target = \"= 120 件\""
        } else {
            "target = \">= 120 件\""
        };
        fs::write(
            dir.join("scheme.toml"),
            scheme.replace("target = \">= 120 件\"", &format!("{target}\n    {rule}")),
        )
        .unwrap();
        let out = run(&bureau, &["--lang", "en", "score", "submissions/legal-aid"]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{rule}: {err}");
        assert!(
            err.contains("metric \"cases_total\" is too large to compute"),
            "{rule}: {err}"
        );
    }
    // last year's figures are held to the same bound: `spent` at the decimal limit made the
    // change (this year − last year) overflow
    let scheme_ok = fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("indicators/legal-aid-2022.toml"),
    )
    .unwrap();
    fs::write(dir.join("scheme.toml"), scheme_ok).unwrap();
    let last = fs::read_to_string(dir.join("last-year-2021.json")).unwrap();
    fs::write(
        dir.join("last-year-2021.json"),
        last.replace(
            "\"spent\": \"85000.00\"",
            "\"spent\": \"-79228162514264337593543950335\"",
        ),
    )
    .unwrap();
    let out = run(
        &bureau,
        &[
            "--lang",
            "en",
            "score",
            "submissions/legal-aid",
            "--previous",
            "submissions/legal-aid/last-year-2021.json",
        ],
    );
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("[metrics.spent]: a figure too large to compare"),
        "{err}"
    );
}

#[test]
fn a_utf8_file_with_one_gbk_line_is_an_error_not_mojibake() {
    let (_tmp, bureau) = submitted();
    let dir = bureau.join("submissions/legal-aid");
    let csv = fs::read_to_string(dir.join("spending.csv")).unwrap();
    let mut lines: Vec<Vec<u8>> = csv.lines().map(|l| l.as_bytes().to_vec()).collect();
    // line 3 saved as GBK, the rest UTF-8: the whole file was read as GB18030, every
    // Chinese description turned to mojibake, exit 0 and not a word
    let (gbk, _, _) = encoding_rs::GB18030.encode(csv.lines().nth(2).unwrap());
    lines[2] = gbk.into_owned();
    fs::write(dir.join("spending.csv"), lines.join(&b"\n"[..])).unwrap();
    let out = run(&bureau, &["--lang", "en", "score", "submissions/legal-aid"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("spending.csv:3: error: the file mixes encodings: line 2 holds Chinese in UTF-8, line 3 holds bytes that are not UTF-8"),
        "{err}"
    );
    assert!(stdout(&out).is_empty(), "{}", stdout(&out));
}

/// The temporary files (`.jixiao-*.tmp`) in `dir`.
fn temporaries(dir: &Path) -> Vec<String> {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".jixiao-") && n.ends_with(".tmp"))
        .collect()
}

/// Start `score . --format json -o out/result.jsonl` on the five-project bureau, holding
/// the temporary file before its rename, and wait until it is there.
fn interruptible(bureau: &Path) -> std::process::Child {
    fs::create_dir_all(bureau.join("out")).unwrap();
    let child = std::process::Command::new(assert_cmd::cargo::cargo_bin!("jixiao"))
        .args(["score", ".", "--format", "json", "-o", "out/result.jsonl"])
        .current_dir(bureau)
        .env("JIXIAO_TEST_HOLD_TEMPORARY_MS", "20000")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let start = std::time::Instant::now();
    while temporaries(&bureau.join("out")).is_empty() {
        assert!(start.elapsed().as_secs() < 20, "no temporary file appeared");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    child
}

#[test]
fn an_interrupted_run_leaves_no_temporary_file() {
    let bureau = five_projects();
    // SIGINT (Ctrl-C) and SIGTERM used to kill the run with its temporary file (up to
    // 16 MB of JSON Lines) left beside the destination
    for (signal, status) in [("-INT", 130), ("-TERM", 143), ("-HUP", 129)] {
        let mut child = interruptible(bureau.path());
        let killed = std::process::Command::new("kill")
            .args([signal, &child.id().to_string()])
            .status()
            .unwrap();
        assert!(killed.success());
        // 128 + the signal's number: SIGINT 2, SIGTERM 15, SIGHUP 1
        assert_eq!(child.wait().unwrap().code(), Some(status), "{signal}");
        let out = bureau.path().join("out");
        assert_eq!(temporaries(&out), Vec::<String>::new(), "{signal}");
        assert!(!out.join("result.jsonl").exists(), "{signal}");
    }
    // kill -9 cannot be caught: the file stays, and the next run into the folder removes
    // it; a temporary file of a process still running (this test's) is left alone
    let mut child = interruptible(bureau.path());
    child.kill().unwrap();
    child.wait().unwrap();
    let out = bureau.path().join("out");
    assert_eq!(temporaries(&out).len(), 1);
    let ours = format!(".jixiao-{}-keep.tmp", std::process::id());
    fs::write(out.join(&ours), "").unwrap();
    let done = run(
        bureau.path(),
        &["score", ".", "--format", "json", "-o", "out/result.jsonl"],
    );
    assert_eq!(done.status.code(), Some(0), "{}", stderr(&done));
    assert_eq!(temporaries(&out), vec![ours]);
    // five projects, one JSON line each
    let lines = fs::read_to_string(out.join("result.jsonl")).unwrap();
    assert_eq!(lines.lines().count(), 5);
}

#[test]
fn a_file_with_carriage_return_line_ends_names_the_right_lines() {
    let (_tmp, bureau) = submitted();
    let dir = bureau.join("submissions/legal-aid");
    let csv = fs::read_to_string(dir.join("spending.csv")).unwrap();
    let mut lines: Vec<String> = csv.lines().map(str::to_string).collect();
    // a bad date on line 8, every line ended by a lone CR (old Mac line ends): every
    // error used to be reported on line 1
    lines[7] = lines[7].replacen(",2022-", ",x2022-", 1);
    fs::write(dir.join("spending.csv"), lines.join("\r")).unwrap();
    let out = run(&bureau, &["--lang", "en", "score", "submissions/legal-aid"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("spending.csv:8: error [date]"), "{err}");
}

#[test]
fn a_zero_denominator_is_shown_with_its_brackets() {
    let (_tmp, bureau) = submitted();
    let dir = bureau.join("submissions/legal-aid");
    let scheme = fs::read_to_string(dir.join("scheme.toml")).unwrap();
    // cases_criminal is 30 in the sample: 30 − 30 = 0. The message said
    // `follow_ups / cases_criminal - 30`, a different formula (135 / 30 − 30 = −25.5)
    fs::write(
        dir.join("scheme.toml"),
        scheme.replace(
            "formula = \"follow_ups / cases_total\"",
            "formula = \"follow_ups / (cases_criminal - 30)\"",
        ),
    )
    .unwrap();
    let out = run(&bureau, &["score", "submissions/legal-aid", "--lang", "en"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("divides by zero in follow_ups / (cases_criminal - 30)"),
        "{err}"
    );
}

#[test]
fn a_reason_longer_than_an_excel_cell_is_cut_with_a_warning_naming_the_indicator() {
    let (_tmp, bureau) = submitted();
    let dir = bureau.join("submissions/legal-aid");
    let judgments = fs::read_to_string(dir.join("judgments.csv")).unwrap();
    // D1's reason of 40,000 characters: export failed on the 32,767-character limit of a
    // cell, naming neither the indicator nor the cell
    let reason = "理".repeat(40_000);
    fs::write(
        dir.join("judgments.csv"),
        judgments.replace(
            "RJ-SFJ-2022-001,D1,达成年度指标,3,,,",
            &format!("RJ-SFJ-2022-001,D1,达成年度指标,3,,{reason},"),
        ),
    )
    .unwrap();
    let out = run(
        &bureau,
        &[
            "export",
            "submissions/legal-aid",
            "--lang",
            "en",
            "--xlsx",
            "自评表.xlsx",
        ],
    );
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains(
            "(indicator D1): a text of 40000 characters cut to the 32767 an Excel cell holds"
        ),
        "{err}"
    );
    // the cell holds exactly 32,767 characters, ending with the mark of the cut
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(bureau.join("自评表.xlsx")).unwrap();
    use calamine::Reader;
    let name = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&name).unwrap();
    let cell = range
        .used_cells()
        .map(|(_, _, v)| v.to_string())
        .find(|v| v.starts_with("理理理"))
        .unwrap();
    assert_eq!(cell.chars().count(), 32_767);
    assert!(cell.ends_with("以下从略）"), "{}", &cell[cell.len() - 90..]);
}

#[test]
fn a_project_code_too_long_for_a_file_name_does_not_stop_the_batch() {
    let bureau = five_projects();
    // project 02's code made 300 characters long in every file: writing its --out file
    // failed (a file name holds 255 bytes) and stopped the batch after some files
    let long = format!("02-{}", "9".repeat(297));
    for file in [
        "budget.csv",
        "spending.csv",
        "outputs.csv",
        "judgments.csv",
        "projects.csv",
    ] {
        let path = bureau.path().join(file);
        let text = fs::read_to_string(&path).unwrap();
        fs::write(&path, text.replace("02-2024-00002", &long)).unwrap();
    }
    let out = run(
        bureau.path(),
        &[
            "--lang", "en", "score", ".", "--out", "results", "--format", "json",
        ],
    );
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    // "02-" + 297 nines = 300 bytes, + ".json" = 305
    assert!(
        err.contains("its file name would be 305 bytes; a file system takes 255"),
        "{err}"
    );
    // every project is scored (five JSON lines), and the four others are written
    assert_eq!(stdout(&out).lines().count(), 5);
    let written = fs::read_dir(bureau.path().join("results")).unwrap().count();
    assert_eq!(written, 4);
    assert!(
        err.contains("5 project(s) scored, 0 not scored, 1 other error(s)"),
        "{err}"
    );
}

/// The legal-aid scheme titled with a secret, outside the bureau (`tmp/secret-scheme.toml`):
/// its title is shown by a review that reads it.
fn secret_scheme(tmp: &Path) {
    let scheme = Path::new(env!("CARGO_MANIFEST_DIR")).join("indicators/legal-aid-2022.toml");
    let text = fs::read_to_string(scheme).unwrap().replace(
        "title = \"2022年法律援助项目绩效评价指标体系\"",
        "title = \"hunter2\"",
    );
    assert!(text.contains("hunter2"));
    fs::write(tmp.join("secret-scheme.toml"), text).unwrap();
}

/// `jixiao review ARGS --format json` in `dir`: the exit status and stdout and stderr.
fn review(dir: &Path, args: &[&str]) -> (Option<i32>, String) {
    let out = cargo_bin_cmd!("jixiao")
        .args(["--lang", "en"])
        .arg("review")
        .args(args)
        .args(["--format", "json"])
        .current_dir(dir)
        .output()
        .unwrap();
    (out.status.code(), stdout(&out) + &stderr(&out))
}

#[test]
fn review_cannot_be_made_to_read_a_scheme_outside_the_root() {
    let (tmp, bureau) = submitted();
    secret_scheme(tmp.path());
    let dir = bureau.join("submissions/published");
    fs::create_dir_all(&dir).unwrap();
    // report.scheme leading out of the bureau: review used to load it and show its title
    fs::write(
        dir.join("claims.toml"),
        "[report]\nscheme = \"../../../secret-scheme.toml\"\n\n[total]\nscore = 95\n",
    )
    .unwrap();
    let (status, text) = review(&bureau, &["."]);
    assert!(!text.contains("hunter2"), "{text}");
    assert_eq!(status, Some(2), "{text}");
    assert!(text.contains("JX0107"), "{text}");
    assert!(text.contains("report.scheme"), "{text}");
    assert!(text.contains("claims.toml:2:10"), "{text}");
    // --root widens it: the scheme is then read
    let (status, text) = review(&bureau, &[".", "--root", tmp.path().to_str().unwrap()]);
    assert_ne!(status, Some(2), "{text}");
    assert!(text.contains("hunter2"), "{text}");
}

#[test]
fn review_cannot_be_made_to_read_records_outside_the_root() {
    let (tmp, bureau) = submitted();
    secret_scheme(tmp.path());
    // an evaluation folder outside the bureau, scored under the secret scheme
    let outside = tmp.path().join("outside");
    fs::create_dir(&outside).unwrap();
    let records = bureau.join("submissions/legal-aid");
    for e in fs::read_dir(&records).unwrap() {
        let e = e.unwrap();
        fs::copy(e.path(), outside.join(e.file_name())).unwrap();
    }
    fs::copy(
        tmp.path().join("secret-scheme.toml"),
        outside.join("scheme.toml"),
    )
    .unwrap();
    let dir = bureau.join("submissions/published");
    fs::create_dir_all(&dir).unwrap();
    // report.evaluation leading out of the bureau: review used to score its records
    fs::write(
        dir.join("claims.toml"),
        "[report]\nevaluation = \"../../../outside\"\n\n[total]\nscore = 95\n",
    )
    .unwrap();
    let (status, text) = review(&bureau, &["."]);
    assert!(!text.contains("hunter2"), "{text}");
    assert_eq!(status, Some(2), "{text}");
    assert!(text.contains("JX0107"), "{text}");
    assert!(text.contains("report.evaluation"), "{text}");
    let (status, text) = review(&bureau, &[".", "--root", tmp.path().to_str().unwrap()]);
    assert_ne!(status, Some(2), "{text}");
    assert!(text.contains("hunter2"), "{text}");
}

#[test]
fn review_reads_the_records_beside_a_claims_file_only_inside_the_root() {
    let (tmp, bureau) = submitted();
    secret_scheme(tmp.path());
    let dir = bureau.join("submissions/legal-aid");
    // the evaluation folder's own evaluation.toml naming a scheme out of the bureau: check
    // and score refused it, review (which opened the folder unconfined) read it
    let eval = fs::read_to_string(dir.join("evaluation.toml")).unwrap();
    fs::write(
        dir.join("evaluation.toml"),
        eval.replace(
            "scheme = \"scheme.toml\"",
            "scheme = \"../../../secret-scheme.toml\"",
        ),
    )
    .unwrap();
    fs::write(dir.join("claims.toml"), "[total]\nscore = 95\n").unwrap();
    let (status, text) = review(&bureau, &["."]);
    assert!(!text.contains("hunter2"), "{text}");
    assert_eq!(status, Some(2), "{text}");
    assert!(text.contains("JX0107"), "{text}");
    let (status, text) = review(&bureau, &[".", "--root", tmp.path().to_str().unwrap()]);
    assert_ne!(status, Some(2), "{text}");
    assert!(text.contains("hunter2"), "{text}");
}

/// A claims file that names nothing and holds nothing wrong (95 is 优 under the default
/// bands), in `bureau/submissions/clean`.
fn clean_claims(bureau: &Path) {
    let dir = bureau.join("submissions/clean");
    fs::create_dir_all(&dir).unwrap();
    fs::write(
        dir.join("claims.toml"),
        "[report]\nname = \"clean\"\n\n[total]\nscore = 95\ngrade = \"优\"\n",
    )
    .unwrap();
}

/// Claims outside the bureau whose project name is a secret: shown by a review that reads
/// them.
fn secret_claims(tmp: &Path) -> std::path::PathBuf {
    let dir = tmp.join("elsewhere");
    fs::create_dir_all(&dir).unwrap();
    fs::write(
        dir.join("claims.toml"),
        "[report]\nname = \"hunter2\"\n\n[total]\nscore = 95\n",
    )
    .unwrap();
    dir
}

#[test]
fn review_does_not_follow_a_link_to_a_folder_out_of_the_root() {
    let (tmp, bureau) = submitted();
    clean_claims(&bureau);
    let elsewhere = secret_claims(tmp.path());
    // a link to a folder above the bureau: review used to search it and review what it held
    std::os::unix::fs::symlink(&elsewhere, bureau.join("submissions/up")).unwrap();
    let (status, text) = review(&bureau, &["."]);
    assert!(!text.contains("hunter2"), "{text}");
    assert_eq!(status, Some(0), "{text}");
    assert!(text.contains("\"reviewed\": 1"), "{text}");
}

#[test]
fn review_does_not_read_a_claims_file_that_links_out_of_the_root() {
    let (tmp, bureau) = submitted();
    clean_claims(&bureau);
    let elsewhere = secret_claims(tmp.path());
    // a claims file that is a link out of the bureau: review used to read it
    let linked = bureau.join("submissions/clean/linked.claims.toml");
    std::os::unix::fs::symlink(elsewhere.join("claims.toml"), &linked).unwrap();
    let (status, text) = review(&bureau, &["."]);
    assert!(!text.contains("hunter2"), "{text}");
    assert_eq!(status, Some(2), "{text}");
    assert!(text.contains("JX0107"), "{text}");
    assert!(text.contains("linked.claims.toml"), "{text}");
    assert!(text.contains("\"reviewed\": 1"), "{text}");
    // --root widens it: the linked claims are then reviewed
    let (status, text) = review(&bureau, &[".", "--root", tmp.path().to_str().unwrap()]);
    assert_eq!(status, Some(0), "{text}");
    assert!(text.contains("hunter2"), "{text}");
}

#[test]
fn a_file_named_on_the_command_line_brings_its_folder_into_the_root() {
    let (tmp, bureau) = submitted();
    let dir = bureau.join("submissions/legal-aid");
    // run from a folder beside the bureau: `check …/evaluation.toml` refused the folder's
    // own budget.csv as outside the root (the root took the file, not its folder)
    let elsewhere = tmp.path().join("elsewhere");
    fs::create_dir_all(&elsewhere).unwrap();
    let eval = dir.join("evaluation.toml");
    let out = run(&elsewhere, &["check", eval.to_str().unwrap()]);
    let text = stdout(&out) + &stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(!text.contains("JX0107"), "{text}");
}

#[test]
fn a_rate_over_a_zero_budget_is_a_finding_not_consistent() {
    let tmp = TempDir::new().unwrap();
    // 5 spent of a budget of 0 printed as a 50% rate: review said 一致 (nothing checked)
    fs::write(
        tmp.path().join("claims.toml"),
        "[funds]\nunit = \"万元\"\nadjusted_budget = \"0\"\nspent = \"5\"\nexecution_rate = \"50%\"\n",
    )
    .unwrap();
    let out = run(tmp.path(), &["review", "claims.toml"]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}{}", stderr(&out));
    assert!(text.contains("JX2001"), "{text}");
    assert!(text.contains("分母为 0"), "{text}");
    assert!(!text.contains("一致：未发现问题"), "{text}");
    // 0 spent of 0 printed as 0%: the usual way to fill the cell, nothing to say
    fs::write(
        tmp.path().join("claims.toml"),
        "[funds]\nunit = \"万元\"\nadjusted_budget = \"0\"\nspent = \"0\"\nexecution_rate = \"0%\"\n",
    )
    .unwrap();
    let out = run(tmp.path(), &["review", "claims.toml"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
}

#[test]
fn a_10_mb_field_is_named_not_echoed() {
    let (_tmp, bureau) = submitted();
    let dir = bureau.join("submissions/legal-aid");
    let csv = fs::read_to_string(dir.join("spending.csv")).unwrap();
    // a voucher of 10 MB on line 3 (a repeated voucher is a warning, so the field is
    // quoted): it came back twice in full, 20 MB on stderr
    let mut lines: Vec<String> = csv.lines().map(str::to_string).collect();
    let fields: Vec<&str> = lines[2].split(',').collect();
    let mut row: Vec<String> = fields.iter().map(|f| f.to_string()).collect();
    row[2] = "9".repeat(10 << 20);
    lines[2] = row.join(",");
    fs::write(dir.join("spending.csv"), lines.join("\n")).unwrap();
    for args in [&["score", "submissions/legal-aid"][..], &["check", "."][..]] {
        let out = run(&bureau, args);
        let text = stdout(&out) + &stderr(&out);
        assert_eq!(
            out.status.code(),
            Some(1),
            "{args:?}: {}",
            &text[..text.len().min(3000)]
        );
        assert!(
            text.contains("more characters)"),
            "{args:?}: {}",
            &text[..text.len().min(3000)]
        );
        assert!(text.len() < 20_000, "{args:?}: {} bytes", text.len());
    }
}

#[test]
fn a_project_named_with_its_year_and_项目_is_not_doubled_in_the_report() {
    let (_tmp, bureau) = submitted();
    let dir = bureau.join("submissions/legal-aid");
    let budget = fs::read_to_string(dir.join("budget.csv")).unwrap();
    // registered names often start with the year and end with 项目: the title said
    // "2022年2022年法律援助项目项目绩效评价报告"
    fs::write(
        dir.join("budget.csv"),
        budget.replace(",法律援助,", ",2022年法律援助项目,"),
    )
    .unwrap();
    let out = run(&bureau, &["report", "submissions/legal-aid"]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        text.starts_with("# 2022年法律援助项目绩效评价报告\n"),
        "{}",
        &text[..200]
    );
    assert!(
        text.contains("经评价，2022年法律援助项目绩效自评得分为"),
        "{text}"
    );
    assert!(
        !text.contains("项目项目") && !text.contains("2022年2022年"),
        "{text}"
    );
}

#[test]
fn the_自评表_goals_placeholder_names_a_key_narrative_toml_accepts() {
    let (_tmp, bureau) = submitted();
    let dir = bureau.join("submissions/legal-aid");
    // the placeholder said to fill `[goals] expected`, which narrative.toml refuses
    fs::write(dir.join("narrative.toml"), "[goals]\nexpected = \"x\"\n").unwrap();
    let out = run(
        &bureau,
        &["export", "submissions/legal-aid", "--xlsx", "a.xlsx"],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    // the key it names now is the one that is read
    fs::write(
        dir.join("narrative.toml"),
        "[basic]\ngoals = \"全年办结案件120件\"\n",
    )
    .unwrap();
    let out = run(
        &bureau,
        &["export", "submissions/legal-aid", "--xlsx", "a.xlsx"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    use calamine::{DataType, Reader};
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(bureau.join("a.xlsx")).unwrap();
    let name = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&name).unwrap();
    assert!(
        range
            .used_cells()
            .any(|(_, _, v)| v.get_string() == Some("全年办结案件120件"))
    );
    assert!(jixiao::report::xlsx::EXPECTED_PLACEHOLDER.contains("[basic] 下填写 goals"));
}

#[test]
fn review_says_which_figures_it_could_not_check() {
    let tmp = TempDir::new().unwrap();
    // A row with a bare target (1200人: no ≥ or ≤) became a text target and its score was
    // judged by no rule — and the review said nothing, as for a figure that held. A rate of
    // 0 over 0 returned early the same way. Each is now "not checkable", with why.
    fs::write(
        tmp.path().join("claims.toml"),
        r#"[funds]
adjusted_budget = "0"
spent = "0"
execution_rate = "0%"

[[dimension]]
name = "产出指标"

  [[dimension.group]]
  name = "数量指标"

    [[dimension.group.indicator]]
    name = "培训人次"
    weight = 20
    target = "1200人"
    actual = "1100人"
    score = "18.5"
"#,
    )
    .unwrap();
    let out = run(tmp.path(), &["review", "claims.toml", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let doc: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let e = &doc["evaluations"][0];
    assert_eq!(e["findings"], serde_json::json!([]));
    let verdict = |field: &str| {
        let f = e["figures"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["field"] == field)
            .unwrap_or_else(|| panic!("{field}: no verdict in {e:#}"));
        (
            f["verdict"].as_str().unwrap().to_string(),
            f["reason"].as_str().unwrap_or_default().to_string(),
        )
    };
    let (v, why) = verdict("dimension[1].group[1].indicator[1].score");
    assert_eq!(v, "not_checkable");
    assert!(
        why.contains("1200人") && why.contains("无评分规则"),
        "{why}"
    );
    let (v, why) = verdict("funds.execution_rate");
    assert_eq!(v, "not_checkable");
    assert!(why.contains("0 / 0"), "{why}");
    // every one of the 6 figures (3 of the funds, 3 of the row) has a verdict, and none of
    // them "agrees"
    assert_eq!(e["figures"].as_array().unwrap().len(), 6);
    assert_eq!(
        e["verdicts"],
        serde_json::json!({"agrees": 0, "differs": 0, "not_checkable": 6})
    );
    // and the table says so, under "一致：未发现问题" (no finding is not "all checked")
    let out = run(tmp.path(), &["review", "claims.toml"]);
    let text = stdout(&out);
    assert!(
        text.contains("核对 6 项：一致 0，不符 0，无法核对 6"),
        "{text}"
    );
    assert!(text.contains("无法核对的 6 项"), "{text}");
    assert!(text.contains("培训人次 · 得分  18.5"), "{text}");
}

/// A scheme from the benchmark's generator of hostile schemes, in a folder of its own.
fn hostile(indicators: usize, chain: usize, cycle: bool, same_names: bool) -> TempDir {
    let tmp = TempDir::new().unwrap();
    let o = hostile_scheme::Options {
        indicators,
        chain,
        cycle,
        same_names,
        out: tmp.path().join("s.toml"),
    };
    fs::write(&o.out, hostile_scheme::scheme(&o)).unwrap();
    tmp
}

#[test]
fn a_chain_of_60000_metrics_is_checked_without_a_stack_overflow() {
    // m1 = m0 + 1, …, m59999 = m59998 + 1, and m0 = m59999 + 1 closing it: the cycle
    // search recursed once a metric down the chain and aborted the process (stack
    // overflow) after 105 s of quadratic work. Now one cycle of 60,000 metrics, reported
    // once, at m0.
    let closed = hostile(1, 60_000, true, false);
    let out = run(closed.path(), &["check", "s.toml", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let found = v["diagnostics"].as_array().unwrap();
    assert_eq!(found.len(), 1, "{:.2000}", stdout(&out));
    assert_eq!(found[0]["code"], "JX0031");
    // [scheme] is 4 lines and an empty one; m0's `id = "m0"` is line 7, its value at column 6
    assert_eq!(
        (found[0]["line"].as_u64(), found[0]["column"].as_u64()),
        (Some(7), Some(6))
    );
    // m0, then the chain backwards from m59999 to m1, then m0 again: 60,001 names, shown
    // by their ends and the count (the whole list was a message of 650 KB)
    assert_eq!(
        found[0]["message"],
        "derived metrics refer to each other: m0 → m59999 → m59998 → m59997 → m59996 → \
         m59995 → … → m4 → m3 → m2 → m1 → m0 (a cycle of 60000 metrics)"
    );
}

#[test]
fn a_scheme_of_5000_indicators_named_alike_is_checked_with_each_finding_on_its_line() {
    // Every finding's line and column were counted from the top of the file, and every
    // snippet laid out the whole file: 12 s for 5,000 findings. The places must not
    // change with the index that replaces those counts.
    let tmp = hostile(5_000, 0, false, true);
    let text = fs::read_to_string(tmp.path().join("s.toml")).unwrap();
    // The line of each `id = "I…"`, counted here line by line.
    let id_lines: std::collections::BTreeMap<String, usize> = text
        .lines()
        .enumerate()
        .filter_map(|(i, l)| {
            let id = l.trim().strip_prefix("id = \"I")?.strip_suffix('"')?;
            Some((format!("I{id}"), i + 1))
        })
        .collect();
    assert_eq!(id_lines.len(), 5_000);

    let out = run(tmp.path(), &["check", "s.toml", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let found = v["diagnostics"].as_array().unwrap();
    // one warning for each indicator after the first
    assert_eq!(found.len(), 4_999);
    for (k, f) in (1..5_000).zip(found) {
        assert_eq!(f["code"], "JX1006");
        let message = format!(
            "indicators \"I{}\" and \"I{k}\" are both named \"indicator\"",
            k - 1
        );
        assert_eq!(f["message"], message.as_str());
        // `    id = "` is 9 characters: the id's value starts at column 10
        let place = (f["line"].as_u64(), f["column"].as_u64());
        let id_line = id_lines[&format!("I{k}")] as u64;
        assert_eq!(place, (Some(id_line), Some(10)), "{message}");
    }
    // and as people read it: the last finding shown under its line
    let out = run(tmp.path(), &["--lang", "en", "check", "s.toml"]);
    let shown = stdout(&out);
    let last = id_lines["I4999"];
    assert!(
        shown.contains(&format!("s.toml:{last}:10\n")) && shown.contains("id = \"I4999\""),
        "{}",
        &shown[shown.len().saturating_sub(2000)..]
    );
    assert!(
        shown.ends_with("0 error(s), 4999 warning(s) in 1 scheme(s) and 0 evaluation folder(s)\n")
    );
}

#[test]
fn scoring_a_chain_of_60000_metrics_is_an_error_not_a_stack_overflow() {
    // the open chain m0 = spent / 10000, m1 = m0 + 1, …, scored by its last: computing a
    // metric recursed into the one it uses, and score (and check of the folder) aborted
    let tmp = hostile(1, 60_000, false, false);
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/legal-aid-2022");
    for f in ["budget.csv", "spending.csv", "outputs.csv"] {
        fs::copy(sample.join(f), tmp.path().join(f)).unwrap();
    }
    fs::write(
        tmp.path().join("evaluation.toml"),
        "project = \"RJ-SFJ-2022-001\"\nscheme = \"s.toml\"\n",
    )
    .unwrap();
    for args in [
        &["score", ".", "--lang", "en"][..],
        &["check", ".", "--lang", "en"][..],
    ] {
        let out = run(tmp.path(), args);
        let text = stdout(&out) + &stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {text:.2000}");
        assert!(
            text.contains("metric \"m59999\" uses derived metrics more than 64 levels deep"),
            "{args:?}: {text:.2000}"
        );
    }
}

#[test]
fn every_value_of_the_wrong_kind_is_reported_in_the_users_words() {
    let tmp = TempDir::new().unwrap();
    // three values of the wrong kind in a claims file: only the first came back, as serde
    // says it ("invalid type: boolean `true`, expected …")
    fs::write(
        tmp.path().join("claims.toml"),
        "[funds]\nunit = 5\nadjusted_budget = true\nspent = [1]\nexecution_rate = \"50%\"\n",
    )
    .unwrap();
    let out = run(tmp.path(), &["--lang", "en", "review", "claims.toml"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("claims.toml:2:8: error [funds.unit]: `funds.unit` is the number 5; expected text in quotes"),
        "{err}"
    );
    assert!(
        err.contains(
            "claims.toml:3:19: error [funds.adjusted_budget]: `funds.adjusted_budget` is true"
        ),
        "{err}"
    );
    assert!(
        err.contains("claims.toml:4:9: error [funds.spent]: `funds.spent` is a list"),
        "{err}"
    );
    assert!(!err.contains("invalid type"), "{err}");
    // the same in a scheme: `id = 5` and `title = ["x"]`, both named
    let scheme = fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("indicators/legal-aid-2022.toml"),
    )
    .unwrap()
    .replace("id = \"legal-aid-2022\"", "id = 5")
    .replacen("title = ", "title = [\"x\"]\nx_title = ", 1);
    fs::write(tmp.path().join("s.toml"), scheme).unwrap();
    let out = run(tmp.path(), &["--lang", "en", "check", "s.toml"]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("`scheme.id` is the number 5"), "{text}");
    assert!(text.contains("`scheme.title` is a list [ … ]"), "{text}");
    assert!(!text.contains("invalid type"), "{text}");
}

#[test]
fn a_formula_of_65_signs_is_shown_as_text_that_parses_again() {
    use jixiao::formula::Expr;
    // `a - b - b …` with 65 signs (131 tokens, within the 256 allowed): shown with a
    // bracket around every left side, `((…(a - b) - b) …) - b`, it was 64 brackets deep and
    // 259 tokens long (131 + 2 × 64), which the parser refuses. Found by the `formula`
    // fuzz target.
    let written = format!("a{}", " - b".repeat(65));
    let formula = Expr::parse(&written).unwrap();
    let shown = formula.to_string();
    assert_eq!(shown, written);
    assert_eq!(Expr::parse(&shown), Ok(formula));
    // a division by zero names its formula the same way: (a - b - …) / 0 of 60 signs once
    // showed 60 brackets before the first name (59 in the chain, 1 around the numerator)
    let chain = format!("a{}", " - b".repeat(60));
    let division = Expr::parse(&format!("({chain}) / 0")).unwrap();
    let err = division
        .eval(&mut |_| Ok::<_, ()>(rust_decimal::Decimal::ONE), false)
        .unwrap_err();
    assert_eq!(
        err,
        jixiao::formula::EvalError::ZeroDenominator {
            expression: format!("({chain}) / 0")
        }
    );
}

#[test]
fn a_damaged_xls_is_an_error_not_an_abort() {
    let (_tmp, bureau) = submitted();
    let dir = bureau.join("submissions/legal-aid");
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/xls");
    fs::remove_file(dir.join("outputs.csv")).unwrap();
    // 6 KB files: a cell at row and column 65535 (calamine asked for 137 GB and aborted,
    // exit 134), a sheet-size record of 4G rows (44 TB, abort), a 4-byte sheet record
    // (index out of bounds, exit 101)
    for name in ["far.xls", "dims.xls", "short-boundsheet.xls"] {
        fs::copy(fixtures.join(name), dir.join("outputs.xls")).unwrap();
        let out = run(&bureau, &["--lang", "en", "score", "submissions/legal-aid"]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{name}: {err}");
        assert!(
            err.contains("outputs.xls: error: cannot read the workbook: it is damaged"),
            "{name}: {err}"
        );
    }
    // a sound one is read (by the same child process): its cells reach the reader, which
    // finds no header in them
    fs::copy(fixtures.join("plain.xls"), dir.join("outputs.xls")).unwrap();
    let out = run(&bureau, &["--lang", "en", "score", "submissions/legal-aid"]);
    let err = stderr(&out);
    assert!(err.contains("missing column \"project\""), "{err}");
}

#[test]
fn review_says_a_total_is_not_recomputed_for_points_lost_without_a_reason() {
    // 13 of 15 judged 达成年度指标 is inside the tier, [round(15 × 80%, 2), 15] = [12, 15];
    // the rules do not take lost points without a reason, so the total is not recomputed —
    // and the why named the tier instead of the missing reason.
    let tmp = TempDir::new().unwrap();
    fs::write(
        tmp.path().join("claims.toml"),
        r#"
[total]
weight = 15
score = 13

[[dimension]]
name = "效益指标"
weight = 15

  [[dimension.group]]
  name = "可持续影响指标"

    [[dimension.group.indicator]]
    name = "工程长效管护机制"
    weight = 15
    target = "建立并运行"
    actual = "达成年度指标"
    score = 13
    reason = ""
"#,
    )
    .unwrap();
    let out = run(tmp.path(), &["review", "claims.toml", "--format", "json"]);
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let why = doc["evaluations"][0]["totals"]["recomputed_why"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(why, "工程长效管护机制（扣分未说明原因）");
    // the finding is the reason's (JX2010), not the tier's (JX2011)
    let codes: Vec<&str> = doc["evaluations"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["JX2010"]);
}

#[test]
fn a_target_written_with_a_word_or_another_sign_is_judged_not_skipped() {
    let tmp = TempDir::new().unwrap();
    // 不低于1200人 (and ≧, 不超过 …) became text: review left the row unjudged, and check
    // refused the same target in a scheme, so the two parsers disagreed
    let claims = |target: &str, score: &str| {
        format!(
            "[[dimension]]\nname = \"产出指标\"\n\n  [[dimension.group]]\n  name = \"数量指标\"\n\n    [[dimension.group.indicator]]\n    name = \"培训人次\"\n    weight = 20\n    target = \"{target}\"\n    actual = \"1100人\"\n    score = \"{score}\"\n"
        )
    };
    let verdict = |target: &str, score: &str| {
        fs::write(tmp.path().join("claims.toml"), claims(target, score)).unwrap();
        let out = run(tmp.path(), &["review", "claims.toml", "--format", "json"]);
        let doc: Value = serde_json::from_str(&stdout(&out)).unwrap();
        let e = &doc["evaluations"][0];
        let f = e["figures"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["field"] == "dimension[1].group[1].indicator[1].score")
            .cloned()
            .unwrap();
        f["verdict"].as_str().unwrap().to_string()
    };
    // ≥ 1200, 1100 done: 1100 / 1200 × 20 = 18.333… → 18.33 (proportional, 四舍五入)
    assert_eq!(verdict("不低于1200人", "18.33"), "agrees");
    assert_eq!(verdict("≧1200人", "18.33"), "agrees");
    assert_eq!(verdict("大于等于 1200 人", "19"), "differs");
    // check takes the same words in a scheme
    let scheme = fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("indicators/legal-aid-2022.toml"),
    )
    .unwrap()
    .replace("target = \">= 120 件\"", "target = \"不低于120件\"")
    .replace("target = \"<= 800 元/件\"", "target = \"≦ 800元/件\"");
    fs::write(tmp.path().join("s.toml"), scheme).unwrap();
    let out = run(tmp.path(), &["check", "s.toml"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
}

#[test]
fn a_table_without_first_level_weights_still_has_its_total_weight_checked() {
    let tmp = TempDir::new().unwrap();
    // no 一级指标 分值 printed: the funds block's 10 and the rows' 60 + 40 went unchecked
    // against the total of 100 (10 + 60 + 40 = 110)
    fs::write(
        tmp.path().join("claims.toml"),
        "[total]\nweight = 100\n\n[funds]\nweight = 10\nunit = \"万元\"\nadjusted_budget = \"45\"\nspent = \"41.3\"\n\n[[dimension]]\nname = \"产出指标\"\n\n  [[dimension.group]]\n  name = \"数量指标\"\n\n    [[dimension.group.indicator]]\n    name = \"公路养护里程\"\n    weight = 60\n    target = \"≥120公里\"\n    actual = \"125公里\"\n    score = 60\n\n    [[dimension.group.indicator]]\n    name = \"群众满意度\"\n    weight = 40\n    target = \"≥90%\"\n    actual = \"95%\"\n    score = 40\n",
    )
    .unwrap();
    let out = run(tmp.path(), &["review", "claims.toml", "--format", "json"]);
    let doc: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let findings: Vec<(String, String, String)> = doc["evaluations"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap().to_string(),
                f["field"].as_str().unwrap().to_string(),
                f["recomputed"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        findings,
        [(
            "JX2004".to_string(),
            "total.weight".to_string(),
            "110 = 10 + 60 + 40".to_string()
        )]
    );
}

#[test]
fn full_marks_beyond_a_ceiling_say_exceeded_not_unmet() {
    let tmp = TempDir::new().unwrap();
    // 案均支出 900元/件 against a ceiling of ≤ 800元/件, scored full: the message said the
    // target was "not reached" (未达到), which reads backwards for a ceiling
    fs::write(
        tmp.path().join("claims.toml"),
        "[[dimension]]\nname = \"产出指标\"\n\n  [[dimension.group]]\n  name = \"成本指标\"\n\n    [[dimension.group.indicator]]\n    name = \"案均支出\"\n    weight = 5\n    target = \"≤800元/件\"\n    actual = \"900元/件\"\n    score = 5\n    reason = \"案件复杂\"\n",
    )
    .unwrap();
    let out = run(tmp.path(), &["review", "claims.toml", "--format", "json"]);
    let doc: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let f = &doc["evaluations"][0]["findings"][0];
    assert_eq!(f["code"], "JX2008", "{doc:#}");
    assert_eq!(f["message"], "超过年度指标值上限却得满分");
}

#[test]
fn one_row_in_the_wrong_unit_does_not_stop_the_review_of_the_table() {
    let tmp = TempDir::new().unwrap();
    // 案件数: target ≥120件, actual 95% — one row's units clash; the whole file used to be
    // "could not be reviewed" (exit 2), the other rows unseen
    fs::write(
        tmp.path().join("claims.toml"),
        "[[dimension]]\nname = \"产出指标\"\n\n  [[dimension.group]]\n  name = \"数量指标\"\n\n    [[dimension.group.indicator]]\n    name = \"案件数\"\n    weight = 20\n    target = \"≥120件\"\n    actual = \"95%\"\n    score = 18\n    reason = \"x\"\n\n    [[dimension.group.indicator]]\n    name = \"回访率\"\n    weight = 10\n    target = \"≥90%\"\n    actual = \"95%\"\n    score = 9\n",
    )
    .unwrap();
    let out = run(tmp.path(), &["review", "claims.toml", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let doc: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let e = &doc["evaluations"][0];
    // the other row is judged: 95% ≥ 90% → full 10, not 9 (a score off the rule, and no
    // reason for the point lost)
    let codes: Vec<&str> = e["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert!(
        codes.contains(&"JX2009") || codes.contains(&"JX2008"),
        "{codes:?}"
    );
    // the clashing row says why it is not recomputed
    let score = e["figures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["field"] == "dimension[1].group[1].indicator[1].score")
        .unwrap();
    assert_eq!(score["verdict"], "not_checkable");
    assert!(
        score["reason"]
            .as_str()
            .unwrap()
            .contains("单位（%）与年度指标值 ≥120件 的单位（件）不同"),
        "{score}"
    );
}

#[test]
fn a_table_marked_partial_is_not_summed_to_its_total() {
    let tmp = TempDir::new().unwrap();
    // a page cut off before 满意度: its rows (10 + 60 + 40 with the funds) cannot add up to
    // the total; there was no way to say so, and the sum was flagged (JX2004)
    let claims = "[total]\nweight = 100\n\n[funds]\nweight = 10\nunit = \"万元\"\nadjusted_budget = \"45\"\nspent = \"41.3\"\n\n[[dimension]]\nname = \"产出指标\"\n\n  [[dimension.group]]\n  name = \"数量指标\"\n\n    [[dimension.group.indicator]]\n    name = \"公路养护里程\"\n    weight = 60\n    target = \"≥120公里\"\n    actual = \"125公里\"\n    score = 60\n\n    [[dimension.group.indicator]]\n    name = \"群众满意度\"\n    weight = 40\n    target = \"≥90%\"\n    actual = \"95%\"\n    score = 40\n";
    fs::write(
        tmp.path().join("claims.toml"),
        format!("[report]\npartial = true\n\n{claims}"),
    )
    .unwrap();
    let out = run(tmp.path(), &["review", "claims.toml", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let doc: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let e = &doc["evaluations"][0];
    assert_eq!(e["findings"], serde_json::json!([]));
    let weight = e["figures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["field"] == "total.weight")
        .unwrap();
    assert_eq!(weight["verdict"], "not_checkable");
    assert!(
        weight["reason"]
            .as_str()
            .unwrap()
            .contains("[report] partial"),
        "{weight}"
    );
}

/// The sample with a budget of 1,000,000 元 and one payment of 730,800.50 元 (fen).
fn spent_with_fen() -> (TempDir, std::path::PathBuf) {
    let (tmp, bureau) = submitted();
    let dir = bureau.join("submissions/legal-aid");
    fs::write(
        dir.join("budget.csv"),
        "project,name,year,initial_budget,adjusted_budget,allocated,source\n\
         RJ-SFJ-2022-001,法律援助,2022,1000000.00,1000000.00,1000000.00,当年财政拨款\n",
    )
    .unwrap();
    fs::write(
        dir.join("spending.csv"),
        "project,date,amount,voucher,category,description\n\
         RJ-SFJ-2022-001,2022-06-30,730800.50,记-0601,办案补贴,上半年办案补贴\n",
    )
    .unwrap();
    (tmp, bureau)
}

#[test]
fn amounts_in_万元_have_two_decimals_not_five() {
    let (_tmp, bureau) = spent_with_fen();
    // spent 730,800.50 元 = 73.08005 万元 → 73.08 (third decimal 0);
    // balance 1,000,000 − 730,800.50 = 269,199.50 元 = 26.91995 万元 → 26.92 (third decimal 9);
    // budget 1,000,000 元 = 100 万元 → 100.00. They used to show as 73.08005 and 26.91995.
    let out = run(&bureau, &["score", "submissions/legal-aid"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let table = stdout(&out);
    for shown in ["73.08 ", "26.92 ", "100.00 ", "730,800.50", "269,199.50"] {
        assert!(table.contains(shown), "{shown:?} missing:\n{table}");
    }
    assert!(
        !table.contains("73.08005") && !table.contains("26.91995"),
        "{table}"
    );
    // the report's text: the same figures
    let out = run(&bureau, &["report", "submissions/legal-aid"]);
    let report = stdout(&out);
    assert!(
        report.contains("全年执行数73.08万元") && report.contains("结余26.92万元"),
        "{report}"
    );
    assert!(!report.contains("73.08005"), "{report}");
    // JSON keeps exact 元
    let out = run(
        &bureau,
        &["score", "submissions/legal-aid", "--format", "json"],
    );
    let doc: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(doc["metrics"]["spent"], "730800.50", "{:#}", doc["metrics"]);
    assert_eq!(
        doc["metrics"]["balance"], "269199.50",
        "{:#}",
        doc["metrics"]
    );
    // --wan-places 4: 73.08005 → 73.0801 (fifth decimal 5, half away from zero);
    // 26.91995 → 26.9200 (fifth decimal 5: 26.9199 + 0.0001)
    let out = run(
        &bureau,
        &["score", "submissions/legal-aid", "--wan-places", "4"],
    );
    let table = stdout(&out);
    assert!(
        table.contains("73.0801 ") && table.contains("26.9200 "),
        "{table}"
    );
    // the 自评表 stores the figure shown (73.08) with a two-decimal format
    let out = run(
        &bureau,
        &["export", "submissions/legal-aid", "--xlsx", "a.xlsx"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    use calamine::{DataType, Reader};
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(bureau.join("a.xlsx")).unwrap();
    let name = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&name).unwrap();
    let numbers: Vec<f64> = range
        .used_cells()
        .filter_map(|(_, _, v)| v.get_float())
        .collect();
    assert!(numbers.contains(&73.08), "{numbers:?}");
    assert!(!numbers.contains(&73.08005), "{numbers:?}");
}

/// The data rows of a CSV file `init` wrote replaced by `rows`, its byte-order mark and
/// Chinese header kept (as an officer fills it in Excel and saves it as CSV).
fn fill_rows(path: &Path, rows: &[&str]) {
    let text = fs::read_to_string(path).unwrap();
    assert!(
        text.starts_with('\u{FEFF}'),
        "{} has no BOM",
        path.display()
    );
    let header = text.split("\r\n").next().unwrap();
    let mut out = format!("{header}\r\n");
    for r in rows {
        out.push_str(r);
        out.push_str("\r\n");
    }
    fs::write(path, out).unwrap();
}

#[test]
fn init_makes_a_folder_that_scores_once_filled_in_and_says_in_chinese_what_is_missing() {
    let tmp = TempDir::new().unwrap();
    // `init` gave only a scheme: no evaluation.toml, no CSV, no narrative.toml
    let out = run(tmp.path(), &["init", "饮水安全"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let dir = tmp.path().join("饮水安全");
    for f in [
        "evaluation.toml",
        "scheme.toml",
        "budget.csv",
        "spending.csv",
        "outputs.csv",
        "judgments.csv",
        "narrative.toml",
    ] {
        assert!(dir.join(f).is_file(), "{f}");
    }
    // never over an existing folder's files
    let again = run(tmp.path(), &["init", "饮水安全"]);
    assert_eq!(again.status.code(), Some(2));
    // score on the fresh folder: what is missing, in Chinese, not a parse error
    let out = run(tmp.path(), &["score", "饮水安全"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("还没有填写完"), "{err}");
    assert!(err.contains("spending.csv:2:36 [金额]"), "{err}");
    assert!(!err.contains("error"), "{err}");
    // check warns on every placeholder: budget 6, spending 6, evaluation.toml 2 (主管部门,
    // 实施单位), outputs 8 rows × 2 (项目编码, 数值), judgments 3 = 33
    let out = run(tmp.path(), &["check", "--format", "json", "饮水安全"]);
    let doc: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let codes: Vec<&str> = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes.len(), 33, "{doc:#}");
    assert!(codes.iter().all(|c| *c == "JX1105"), "{codes:?}");
    // filled in, BOM and Chinese headers kept: it scores
    let eval = fs::read_to_string(dir.join("evaluation.toml")).unwrap();
    let eval = eval
        .replace("【待填写：主管部门，如 某某县水利局】", "某某县水利局")
        .replace("【待填写：实施单位，如 某某镇人民政府】", "某某镇人民政府");
    fs::write(dir.join("evaluation.toml"), eval).unwrap();
    fill_rows(
        &dir.join("budget.csv"),
        &[
            "2023-001,2023年某某镇农村饮水安全巩固提升工程,2023,1000000.00,1000000.00,1000000.00,当年财政拨款",
        ],
    );
    fill_rows(
        &dir.join("spending.csv"),
        &["2023-001,2023-06-30,730800.50,记-0601,工程款,管网改造"],
    );
    let outputs: Vec<String> = [
        ("planned", "10", "件"),
        ("completed", "10", "件"),
        ("qualified", "10", "件"),
        ("on_time", "9", "件"),
        ("benefit_target", "3000", "人"),
        ("benefit_actual", "3000", "人"),
        ("surveyed", "100", "人"),
        ("satisfied", "95", "人"),
    ]
    .iter()
    .map(|(m, v, u)| format!("2023-001,{m},{v},{u},"))
    .collect();
    let outputs: Vec<&str> = outputs.iter().map(String::as_str).collect();
    fill_rows(&dir.join("outputs.csv"), &outputs);
    // the two measured indicators that lose points say why (JX1106 otherwise)
    fill_rows(
        &dir.join("judgments.csv"),
        &[
            "2023-001,S01,预算执行率,,,,工程尾款待竣工决算后支付",
            "2023-001,S04,完成及时率,,,,一处管网改造因雨季延误",
        ],
    );
    let out = run(tmp.path(), &["check", "--deny-warnings", "饮水安全"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let out = run(tmp.path(), &["score", "饮水安全", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let doc: Value = serde_json::from_str(&stdout(&out)).unwrap();
    // 预算执行率 730,800.50 / 1,000,000 = 73.08% → 10 × 0.7308 = 7.308 → 7.31;
    // 完成及时率 9/10 = 90% → 10 × 0.9 = 9; the others at or above target: 20 + 10 + 10
    // + 30 + 10 = 80 (满意度 95% ≥ 90%; 成本控制率 73.08% ≤ 100%);
    // total 7.31 + 9 + 80 = 96.31
    assert_eq!(doc["total_score"], 96.31, "{doc:#}");
    assert_eq!(doc["project"]["department"], "某某县水利局");
}

#[test]
fn report_sections_bear_the_参考提纲_titles_and_the_tool_note_only_while_parts_are_pending() {
    let (_tmp, bureau) = submitted();
    let out = run(&bureau, &["report", "submissions/legal-aid"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let md = stdout(&out);
    // 一（一） was 项目基本情况, 五 was "…存在的问题和建议"
    for h in [
        "### （一）项目概况\n",
        "### （二）绩效评价原则、评价指标体系、评价方法、评价标准\n",
        "## 五、主要经验及做法、存在的问题及原因分析\n",
        "### （二）存在的问题及原因分析\n",
    ] {
        assert!(md.contains(h), "{h:?} missing");
    }
    assert!(!md.contains("项目基本情况") && !md.contains("存在的问题和建议"));
    // the sample's narrative writes every part: no word about the tool in the report
    assert!(!md.contains("jixiao"), "{md}");
    // one part left out: the note says so, and how many
    let dir = bureau.join("submissions/legal-aid");
    let narrative = fs::read_to_string(dir.join("narrative.toml")).unwrap();
    let (before, after) = narrative.split_once("[other]").unwrap();
    let _ = after;
    fs::write(dir.join("narrative.toml"), before).unwrap();
    let md = stdout(&run(&bureau, &["report", "submissions/legal-aid"]));
    assert!(md.contains("尚有1处标有“【待补充】”，需填写后定稿"), "{md}");
}

#[test]
fn csv_export_has_chinese_headers_totals_and_funds_and_shows_no_apostrophe() {
    let (_tmp, bureau) = spent_with_fen();
    let out = run(
        &bureau,
        &["score", "submissions/legal-aid", "--format", "csv"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    let body = text.trim_start_matches('\u{FEFF}');
    let mut reader = csv::Reader::from_reader(body.as_bytes());
    // the headers were the English column names only
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        (
            &header[0][..],
            &header[7][..],
            &header[13][..],
            &header[16][..]
        ),
        ("项目编码", "三级指标", "得分", "扣分原因")
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let row = |id: &str| rows.iter().find(|r| &r[6] == id).unwrap().clone();
    // `'=0件` showed its apostrophe in Calc and Excel: now the full-width ＝ of the 自评表
    assert_eq!(&row("P3")[9], "＝0件");
    assert!(!body.contains(",'"), "{body}");
    // the total, the grade and the funds had no rows. 730,800.50 / 1,000,000 = 73.08%:
    // P2's band [70%, 80%) gives 3 of 5 (sample: 2); O7 案均支出 730,800.50 / 135 件 =
    // 5,413.34 元/件 against ≤ 800 (inverse): 800 / 5,413.34 × 5 = 0.7389 → 0.74 (sample:
    // 5); total 95 − 2 + 3 − 5 + 0.74 = 91.74 → 优 (≥ 90)
    assert_eq!(&row("total")[13], "91.74", "{body}");
    assert_eq!(&row("grade")[11], "优");
    // 730,800.50 元 = 73.08005 万元 → 73.08; balance 269,199.50 元 → 26.92 万元
    assert_eq!(
        (&row("spent")[18], &row("spent")[19]),
        ("73.08", "730800.50")
    );
    assert_eq!(
        (&row("balance")[18], &row("balance")[19]),
        ("26.92", "269199.50")
    );
    assert_eq!(&row("execution_rate")[11], "73.08%");
}

/// A cell of the first sheet of a workbook, by its A1 name: its number or its text.
fn cell(path: &Path, at: &str) -> (Option<f64>, String) {
    use calamine::{DataType, Reader};
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(path).unwrap();
    let name = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&name).unwrap();
    let col = u32::from(at.as_bytes()[0] - b'A');
    let row: u32 = at[1..].parse::<u32>().unwrap() - 1;
    let v = range.get_value((row, col));
    (
        v.and_then(|v| v.get_float()),
        v.and_then(|v| v.get_string().map(String::from))
            .unwrap_or_default(),
    )
}

#[test]
fn the_自评表_funds_block_scores_the_framework_execution_rate_and_fills_each_source() {
    let (_tmp, bureau) = submitted();
    let dir = bureau.join("submissions/legal-aid");
    // two sources, and a ledger that names each payment's 资金来源
    fs::write(
        dir.join("budget.csv"),
        "项目编码,项目名称,年度,年初预算数,全年预算数,实际到位资金,资金来源\n\
         RJ-SFJ-2022-001,法律援助,2022,600000.00,600000.00,600000.00,当年财政拨款\n\
         RJ-SFJ-2022-001,法律援助,2022,400000.00,400000.00,400000.00,上年结转\n",
    )
    .unwrap();
    fs::write(
        dir.join("spending.csv"),
        "项目编码,日期,金额,凭证号,摘要,资金来源\n\
         RJ-SFJ-2022-001,2022-03-28,500000.50,记-0301,办案补贴,当年财政拨款\n\
         RJ-SFJ-2022-001,2022-06-30,200800.00,记-0601,办案补贴,上年结转\n\
         RJ-SFJ-2022-001,2022-09-30,30000.00,记-0901,宣传,当年财政拨款\n",
    )
    .unwrap();
    let out = run(
        &bureau,
        &["export", "submissions/legal-aid", "--xlsx", "a.xlsx"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let xlsx = bureau.join("a.xlsx");
    // 年度资金总额: 730,800.50 / 1,000,000 = 73.08% → P2 (framework scheme, 过程 → 资金管理)
    // band [70%, 80%) = 3 of 5; its 分值/得分 were "—" for this family
    assert_eq!(cell(&xlsx, "G6").0, Some(5.0));
    assert_eq!(cell(&xlsx, "I6").0, Some(3.0));
    // 其中：当年财政拨款 spent 500,000.50 + 30,000 = 530,000.50 元 = 53.00005 万元 → 53.00;
    // 530,000.50 / 600,000 = 0.883334 → 88.33%
    assert_eq!(cell(&xlsx, "F7").0, Some(53.0));
    assert_eq!(cell(&xlsx, "H7").0, Some(0.8833));
    // 上年结转资金 200,800 元 = 20.08 万元; 200,800 / 400,000 = 50.20%
    assert_eq!(cell(&xlsx, "F8").0, Some(20.08));
    assert_eq!(cell(&xlsx, "H8").0, Some(0.502));
    // the form's 分值 still add up to 100: P2 left the table, 过程 shows 20 − 5 = 15
    let labels: Vec<String> = (13..40)
        .map(|r| cell(&xlsx, &format!("B{r}")).1)
        .filter(|t| t.contains("分）"))
        .collect();
    assert_eq!(
        labels,
        [
            "决策（15分）",
            "过程（15分）",
            "产出（40分）",
            "效益（25分）"
        ]
    );
    // and review of the form finds no weight off the total (JX2004)
    let out = run(&bureau, &["review", "a.xlsx", "--format", "json"]);
    let doc: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let codes: Vec<&str> = doc["evaluations"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert!(!codes.contains(&"JX2004"), "{codes:?}");
}

#[test]
fn the_bureau_summary_puts_totals_departments_and_the_worst_before_any_list() {
    let b = five_projects();
    let dir = b.path();
    let out = run(dir, &["score", ".", "-q"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    // it printed every project before anything a bureau head needs
    assert!(
        text.starts_with("项目：5  已评分：5  未能评分：0\n"),
        "{text}"
    );
    // the budget summed from the CSV rows, written with thousands separators
    let csv = stdout(&run(dir, &["score", ".", "--format", "csv"]));
    let budget: rust_decimal::Decimal = csv
        .trim_start_matches('\u{FEFF}')
        .lines()
        .skip(1)
        .map(|l| {
            l.split(',')
                .nth(3)
                .unwrap()
                .parse::<rust_decimal::Decimal>()
                .unwrap()
        })
        .sum();
    let whole = budget.trunc().to_string();
    let mut sep = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            sep.push(',');
        }
        sep.push(c);
    }
    assert!(
        text.contains(&format!("全年预算数合计（元）：{sep}.")),
        "{sep}\n{text}"
    );
    // 差 was missing from the distribution when no project had it
    let grades = text.lines().find(|l| l.starts_with("等级分布：")).unwrap();
    for g in ["优 ", "良 ", "中 ", "差 "] {
        assert!(grades.contains(g), "{grades}");
    }
    // then 主管部门, then the worst with names and their main problem; the full list only
    // with --all
    let at = |s: &str| text.find(s).unwrap_or_else(|| panic!("{s:?}\n{text}"));
    assert!(at("按主管部门：") < at("得分最低的5个项目："));
    assert!(text.contains("主要问题"));
    assert!(!text.contains("全部项目（按得分）："));
    let all = stdout(&run(dir, &["score", ".", "-q", "--all"]));
    assert!(all.contains("全部项目（按得分）："));
}

#[test]
fn an_80_column_table_never_cuts_a_number_a_header_or_starts_a_line_with_a_comma() {
    use jixiao::i18n::Lang;
    use unicode_width::UnicodeWidthStr;
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let overrides = jixiao::workspace::Overrides {
        root: jixiao::input::Root::within(root).unwrap(),
        ..Default::default()
    };
    let ws = jixiao::workspace::Workspace::open(&root.join("samples/legal-aid-2022"), &overrides)
        .unwrap();
    let o = jixiao::batch::score_one(&ws, "RJ-SFJ-2022-001", Lang::Zh, jixiao::batch::Rows::None)
        .unwrap()
        .outcome;
    for width in [80u16, 120] {
        let text = jixiao::report::table::render(&o, Lang::Zh, Some(width));
        for line in text.lines().filter(|l| l.starts_with(['│', '┌', '╞', '└'])) {
            assert!(line.width() <= usize::from(width), "{width}: {line}");
            // each cell of the line: never starts with closing punctuation
            for cell in line.trim_matches(['│', ' ']).split('┆') {
                let cell = cell.trim();
                assert!(
                    !cell.starts_with(['，', '、', '。', '；', '）']),
                    "{width}: {line}"
                );
            }
        }
        // a number with its unit, and the headers, whole: they read "支出6.7" / "9万元",
        // "扣分原" / "因"
        for whole in [
            "6.79万元",
            "10万元",
            "扣分原因",
            "年度指标值",
            "实际完成值",
            "502.96元/件",
        ] {
            assert!(text.contains(whole), "{width}: {whole}\n{text}");
        }
    }
}

#[test]
fn a_total_above_its_weight_is_found_even_when_its_parts_add_up_to_it() {
    let tmp = TempDir::new().unwrap();
    // 60 + 61 = 121 printed as the total of 100: the sum agreed, so nothing was found
    let claims = "[total]\nweight = 100\nscore = 121\n\n[[dimension]]\nname = \"产出指标\"\nweight = 60\nscore = 60\n\n[[dimension]]\nname = \"效益指标\"\nweight = 40\nscore = 61\n";
    fs::write(tmp.path().join("claims.toml"), claims).unwrap();
    let out = run(tmp.path(), &["review", "claims.toml", "--format", "json"]);
    let doc: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let found: Vec<(String, String, String)> = doc["evaluations"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let s = |k: &str| f[k].as_str().unwrap().to_string();
            (s("code"), s("field"), s("recomputed"))
        })
        .collect();
    // the total 121 > 100; and 效益指标 61 > its 40
    assert!(
        found.contains(&("JX2007".into(), "total.score".into(), "≤ 100".into())),
        "{found:?}"
    );
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn running_from_inside_the_sample_says_how_to_reach_its_scheme() {
    // From inside samples/legal-aid-2022, its scheme ../../indicators/… lies outside the
    // default root (the current folder): refused, and nothing said how to get past it
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/legal-aid-2022");
    let out = cargo_bin_cmd!("jixiao")
        .args(["score", "."])
        .current_dir(&dir)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("错误 JX0107 [scheme]：")
            && err.contains("不在允许读取的根目录")
            && err.contains("提示：在同时包含评价目录及其所指文件的上级目录中运行 jixiao"),
        "{err}"
    );
    let out = cargo_bin_cmd!("jixiao")
        .args(["--lang", "en", "score", "."])
        .current_dir(&dir)
        .output()
        .unwrap();
    assert!(
        stderr(&out).contains("help: run jixiao from a folder that holds both"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn points_lost_on_a_measured_indicator_without_a_reason_are_said_by_score() {
    let (_tmp, bureau) = submitted();
    let dir = bureau.join("submissions/legal-aid");
    // P2's reason row taken out: 预算执行率 67.90% scores 2 of 5 and nothing said why, while
    // review flags the same row of the published table (JX2010)
    let judgments = fs::read_to_string(dir.join("judgments.csv")).unwrap();
    let kept: Vec<&str> = judgments.lines().filter(|l| !l.contains(",P2,")).collect();
    fs::write(dir.join("judgments.csv"), kept.join("\n") + "\n").unwrap();
    let out = run(&bureau, &["score", "submissions/legal-aid"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let table = stdout(&out);
    // 5 − 2 = 3 points lost; the total is still 95
    assert!(table.contains("总分：95.00 / 100"), "{table}");
    assert!(
        table.contains("警告 JX1106 [扣分原因]：指标“P2” 预算执行率 失分 3 分，未说明偏差原因"),
        "{table}"
    );
    let out = run(
        &bureau,
        &["check", "--deny-warnings", "submissions/legal-aid"],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
}

#[test]
fn a_cost_target_per_unit_in_wan_is_compared_not_refused() {
    let (_tmp, bureau) = submitted();
    let dir = bureau.join("submissions/legal-aid");
    // O7 案均支出 ≤ 800 元/件 written as ≤ 0.08 万元/件 (0.08 × 10,000 = 800): refused as a
    // unit that does not fit the metric's 元/件 (JX0021), though 万元 converts elsewhere
    let scheme = fs::read_to_string(dir.join("scheme.toml")).unwrap();
    fs::write(
        dir.join("scheme.toml"),
        scheme.replace("target = \"<= 800 元/件\"", "target = \"<= 0.08 万元/件\""),
    )
    .unwrap();
    let out = run(
        &bureau,
        &["score", "submissions/legal-aid", "--format", "json"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let doc: Value = serde_json::from_str(&stdout(&out)).unwrap();
    // 67,900 / 135 = 502.96 元/件 ≤ 800: full 5 points, and the total stays 95
    let o7 = doc["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == "O7")
        .unwrap()
        .clone();
    assert_eq!(o7["score"].as_f64(), Some(5.0), "{o7:#}");
    assert_eq!(doc["total_score"].as_f64(), Some(95.0));
}

#[test]
fn a_label_merged_down_the_form_is_printed_again_on_its_second_page() {
    use calamine::{Reader, Xlsx, open_workbook};
    let (_tmp, bureau) = submitted();
    let out = run(
        &bureau,
        &["export", "submissions/legal-aid", "--xlsx", "form.xlsx"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let mut book: Xlsx<_> = open_workbook(bureau.join("form.xlsx")).unwrap();
    let merged: Vec<(u32, u32, u32)> = book
        .merge_cells_by_sheet_name("项目支出绩效自评表")
        .unwrap()
        .iter()
        .map(|d| (d.start.1, d.start.0, d.end.0))
        .collect();
    // the 绩效指标 label in column A ran down rows 12–34 (0-based 11–33) over the page
    // break, so the second page printed the table with its column A empty; it is now
    // merged once per page, the second part from row 19 (0-based 18, where 过程 begins)
    assert!(!merged.contains(&(0, 11, 33)), "{merged:?}");
    assert!(
        merged.contains(&(0, 11, 17)) && merged.contains(&(0, 18, 33)),
        "{merged:?}"
    );
    let cells = book.worksheet_range("项目支出绩效自评表").unwrap();
    assert_eq!(cells.get_value((18, 0)).unwrap().to_string(), "绩效指标");
}

#[test]
fn every_sheet_of_a_submitted_xls_is_reviewed_not_only_the_first() {
    // two-forms.xls: sheets 说明 (no form), 甲 and 乙 (a form each); only the first sheet of
    // an .xls was read, so the workbook was refused as holding no form
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/xls");
    let out = run(&dir, &["review", "two-forms.xls", "--format", "json"]);
    let doc: Value = serde_json::from_str(&stdout(&out)).unwrap_or_else(|e| {
        panic!("{e}: {}", stderr(&out));
    });
    assert_eq!(doc["reviewed"], 2, "{doc:#}");
}

#[test]
fn a_funds_total_printed_0_shows_the_rows_sum_exactly_not_rounded_to_its_places() {
    let tmp = TempDir::new().unwrap();
    // 年度资金总额 printed "0" above 当年财政拨款 79.5: the sum was shown rounded to the total's
    // 0 places, "80", a figure nobody printed
    fs::write(
        tmp.path().join("claims.toml"),
        "[funds]\nunit = \"万元\"\nspent = \"0\"\n\n[[funds.source]]\nname = \"当年财政拨款\"\nspent = \"79.5\"\n",
    )
    .unwrap();
    let out = run(tmp.path(), &["review", "claims.toml", "--format", "json"]);
    let doc: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let f = &doc["evaluations"][0]["findings"][0];
    assert_eq!(f["code"], "JX2012");
    // 0 + … the one 其中 row: 79.5, at its own one decimal
    assert_eq!(f["recomputed"], "79.5", "{f:#}");
}

#[test]
fn an_unknown_key_in_an_evaluation_metric_is_an_error_not_passed_over() {
    let (_tmp, dir) = sample();
    // A key misspelt inside the last [[metric]] of evaluation.toml (its last line, 46):
    // serde read the table and passed over the key, so the folder scored as if it were
    // not there.
    let eval = fs::read_to_string(dir.join("evaluation.toml")).unwrap();
    let lines = eval.lines().count();
    fs::write(
        dir.join("evaluation.toml"),
        format!("tpyo = 1\n{eval}projct = \"x\"\n"),
    )
    .unwrap();
    let out = run(&dir, &["score", "."]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    // Both keys, each on its line: the new first line, and the sample's lines + 2.
    assert!(
        err.contains("evaluation.toml:1:1: 错误 JX0106 [tpyo]：文件顶层中没有 `tpyo` 这个键"),
        "{err}"
    );
    let at = lines + 2;
    assert!(
        err.contains(&format!(
            "evaluation.toml:{at}:1: 错误 JX0106 [metric[6].projct]：`metric[6]` 中没有 `projct` 这个键"
        )),
        "{err}"
    );
    assert!(err.contains("jixiao：2 个错误，0 个警告；未打分"), "{err}");
}

#[test]
fn the_form_s_footer_keeps_a_project_code_that_starts_with_digits() {
    let b = five_projects();
    let dir = b.path();
    // The generator's codes start with digits (01-2024-00001). The footer was written
    // `&L&801-2024-00001 …`: Excel reads `&8` followed by digits as one font size (801),
    // and the code lost its first digits on every printed page.
    let out = run(
        dir,
        &["export", ".", "--project", P1, "--xlsx", "form.xlsx"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let file = fs::File::open(dir.join("form.xlsx")).unwrap();
    let mut book = zip::ZipArchive::new(file).unwrap();
    let mut sheet = String::new();
    std::io::Read::read_to_string(
        &mut book.by_name("xl/worksheets/sheet1.xml").unwrap(),
        &mut sheet,
    )
    .unwrap();
    let footer = sheet
        .split("<oddFooter>")
        .nth(1)
        .and_then(|s| s.split("</oddFooter>").next())
        .unwrap_or_else(|| panic!("no footer in {sheet:.2000}"));
    // In the XML `&` is `&amp;`: the size 8, a space, then the whole code.
    assert!(
        footer.starts_with(&format!("&amp;L&amp;8 {P1} ")),
        "{footer}"
    );
}

#[test]
fn the_warning_of_vouchers_not_checked_reads_in_chinese() {
    use jixiao::i18n::Lang;
    use jixiao::ledger::{self, LedgerOptions};
    // A budget of 8,192 projects checks 2^19 / 8,192 = 64 rows with a voucher per
    // project; P1 has 70, so its 65th (line 66, after the header) is the first not
    // checked. The warning was English only, amid Chinese messages (and monitor shows it
    // too now).
    let mut years: std::collections::HashMap<String, i32> =
        (1..8_192).map(|n| (format!("B{n:05}"), 2024)).collect();
    years.insert("P1".into(), 2024);
    let tmp = TempDir::new().unwrap();
    let path = tmp.path().join("spending.csv");
    let mut text = String::from("project,date,amount,voucher\n");
    for n in 1..=70 {
        text.push_str(&format!("P1,2024-03-01,1.00,V{n}\n"));
    }
    fs::write(&path, text).unwrap();
    let l = ledger::aggregate(&path, &years, &LedgerOptions::default(), &|_| {});
    let [warning] = &l.problems.0[..] else {
        panic!("{:?}", l.problems);
    };
    assert_eq!(
        warning.message_in(Lang::Zh),
        "重复凭证号只在每个项目前 64 笔有凭证号的支出中查找：1 个项目超出，其余未查（第一个为项目 P1，自第 66 行起）"
    );
    // 2^19 = 524,288 shared, at least 64 each
    assert_eq!(
        warning.expected_in(Lang::Zh),
        Some("每个项目至多 64 笔有凭证号的支出（预算中各项目共 524288 笔，每个项目至少 64 笔）")
    );
    assert_eq!(warning.field_in(Lang::Zh), Some("凭证号"));
}

#[test]
fn monitor_says_rows_of_a_project_not_in_the_budget() {
    let (_tmp, dir) = sample();
    // Two ledger rows of projects the budget lacks, and an output of a third: score calls
    // each an error, monitor passed over them and monitored as if they were not there.
    let ledger = fs::read_to_string(dir.join("spending.csv")).unwrap();
    let first = ledger.lines().count() + 1;
    fs::write(
        dir.join("spending.csv"),
        format!("{ledger}XX-1,2022-05-01,100.00,记-9901,办公用品,x\nXX-2,2022-09-01,100.00,记-9902,办公用品,x\n"),
    )
    .unwrap();
    let outputs = fs::read_to_string(dir.join("outputs.csv")).unwrap();
    let output_line = outputs.lines().count() + 1;
    let header = outputs.lines().next().unwrap().to_string();
    // The third project's row, shaped as the sample's first row.
    let row = outputs
        .lines()
        .nth(1)
        .unwrap()
        .replacen("RJ-SFJ-2022-001", "XX-3", 1);
    assert!(header.starts_with("project"), "{header}");
    fs::write(dir.join("outputs.csv"), format!("{outputs}{row}\n")).unwrap();
    // Two rows of the monitoring sheet for a fourth: one error for the project, as in the
    // other files (each row had its own).
    let sheet_path = dir.join("monitoring-2022-07-31.csv");
    let sheet = fs::read_to_string(&sheet_path).unwrap();
    let sheet_line = sheet.lines().count() + 1;
    fs::write(
        &sheet_path,
        format!("{sheet}XX-4,,其他,x,,,,,\nXX-4,O2,其他,y,有可能,,,,\n"),
    )
    .unwrap();
    let out = run(
        &dir,
        &["monitor", ".", "--as-of", "2022-07-31", "--lang", "en"],
    );
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains(&format!(
            "spending.csv:{first}: error [project]: project \"XX-1\" is not in the budget (1 row(s), the first on line {first})"
        )),
        "{err}"
    );
    // XX-2's only row is dated after 31 July: counted, with no line summed to name.
    assert!(
        err.contains(
            "spending.csv: error [project]: project \"XX-2\" is not in the budget (1 row(s))"
        ),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "outputs.csv:{output_line}: error [project]: project \"XX-3\" is not in the budget (1 row(s), the first on line {output_line})"
        )),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "monitoring-2022-07-31.csv:{sheet_line}: error [project]: project \"XX-4\" is not in the budget (2 row(s), the first on line {sheet_line})"
        )),
        "{err}"
    );
    // One error for the project's two rows: its message and its value name it.
    assert_eq!(err.matches("XX-4").count(), 2, "{err}");
}

#[test]
fn a_bureau_summary_counts_the_warnings_it_does_not_list() {
    let b = five_projects();
    let dir = b.path();
    // A row of project 1 dated in the year before: a warning (JX1101) of its result. The
    // bureau summary said nothing of any project's warnings, and monitor printed every one
    // on stderr (753 lines on a generated bureau of 1 M rows).
    let ledger = fs::read_to_string(dir.join("spending.csv")).unwrap();
    fs::write(
        dir.join("spending.csv"),
        format!("{ledger}{P1},2023-06-01,10.00,记-X1,办公用品,上年的支出\n"),
    )
    .unwrap();
    // The per-project results (JSON Lines), counted here: projects and warnings per code.
    let out = run(dir, &["score", ".", "--format", "json"]);
    let mut counts: std::collections::BTreeMap<String, (usize, usize)> = Default::default();
    for line in stdout(&out).lines() {
        let v: Value = serde_json::from_str(line).unwrap();
        let mut mine: std::collections::BTreeMap<String, usize> = Default::default();
        for w in v["warnings"].as_array().unwrap() {
            *mine
                .entry(w["code"].as_str().unwrap().to_string())
                .or_default() += 1;
        }
        for (code, n) in mine {
            let e = counts.entry(code).or_default();
            e.0 += 1;
            e.1 += n;
        }
    }
    assert!(counts.contains_key("JX1101"), "{counts:?}");
    let expected: Vec<String> = counts
        .iter()
        .map(|(code, (projects, n))| format!("{code} {projects} 个项目共 {n} 个"))
        .collect();
    let out = run(dir, &["score", "."]);
    assert!(
        stdout(&out).contains(&format!("数据警告：{}；逐项见", expected.join("、"))),
        "{}",
        stdout(&out)
    );
    // monitor: counted in its table, not listed one by one on stderr.
    let out = run(dir, &["monitor", ".", "--as-of", "2024-07-31"]);
    assert!(
        stdout(&out).contains("数据警告：JX1101 "),
        "{}",
        stdout(&out)
    );
    assert!(!stderr(&out).contains("JX1101"), "{}", stderr(&out));
}

#[test]
fn a_negative_spending_total_is_a_warning_not_a_silent_negative_rate() {
    let (_tmp, dir) = sample();
    // The first payment, 7,200.00, entered as −92,800.00: the project's rows add up to
    // 67,900 − 7,200 − 92,800 = −32,100; scored on a −32.10% execution rate with nothing
    // said (seen as −3.79% on a generated bureau). Reversals: the sample's one (−280.00,
    // 记-0517) and this one, 2 笔.
    let ledger = fs::read_to_string(dir.join("spending.csv")).unwrap();
    let changed = ledger.replacen(",7200.00,", ",-92800.00,", 1);
    assert_ne!(changed, ledger);
    fs::write(dir.join("spending.csv"), changed).unwrap();
    let folder = dir.parent().unwrap();
    let out = run(folder, &["score", "legal-aid-2022"]);
    assert!(
        stdout(&out)
            .contains("项目 RJ-SFJ-2022-001 的支出合计为 -32100.00，小于零：冲销（2 笔）大于支出"),
        "{}\n{}",
        stdout(&out),
        stderr(&out)
    );
    let out = run(folder, &["check", "--deny-warnings", "legal-aid-2022"]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert!(stdout(&out).contains("JX1107"), "{}", stdout(&out));
}

#[test]
fn the_help_speaks_one_language_not_both_halves() {
    // `jixiao --help` began with the English package description, and every option read
    // `中文 — English` (or `预算表 budget CSV (default DIR/budget.csv)`) under the default
    // --lang zh.
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = run(here, &["--help"]);
    let text = stdout(&out);
    assert!(text.starts_with("jixiao 绩效："), "{text}");
    let out = run(here, &["score", "-h"]);
    let text = stdout(&out);
    assert!(text.contains("预算表（默认 DIR/budget.csv）"), "{text}");
    assert!(!text.contains("budget CSV"), "{text}");
    assert!(!text.contains(" — "), "{text}");
    let out = run(here, &["--lang", "en", "score", "-h"]);
    let text = stdout(&out);
    assert!(
        text.contains("the budget CSV (default DIR/budget.csv)"),
        "{text}"
    );
    assert!(!text.contains("预算表（默认"), "{text}");
}

/// The sample monitored as of 2022-07-31 with `--xlsx`: the table printed and the cells
/// of the 监控表's sheet.
fn monitoring_form_0731() -> (String, calamine::Range<calamine::Data>) {
    let (_tmp, dir) = sample();
    let folder = dir.parent().unwrap();
    let out = run(
        folder,
        &[
            "monitor",
            "legal-aid-2022",
            "--as-of",
            "2022-07-31",
            "--xlsx",
            "监控表.xlsx",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    use calamine::Reader;
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(folder.join("监控表.xlsx")).unwrap();
    let cells = book.worksheet_range("绩效目标执行监控表").unwrap();
    (stdout(&out), cells)
}

#[test]
fn the_monitoring_form_says_the_projected_likelihood_the_table_says() {
    // The table's 完成目标可能性 of O1 read （推算不能完成） (66 件 by 2022-06-30, run at
    // 66 × 12/7 = 113.14 < 120 件), the .xlsx form's cell was empty: the form a bureau
    // reads hid that a green target will not be met.
    let (table, cells) = monitoring_form_0731();
    assert!(table.contains("（推算不能完成）"), "{table}");
    // row 9 (0-based 8) is O1, column K (10) 完成目标可能性 / 备注
    assert_eq!(
        cells.get_value((8, 2)).map(ToString::to_string).as_deref(),
        Some("O1 受理法律援助案件数")
    );
    assert_eq!(
        cells.get_value((8, 10)).map(ToString::to_string).as_deref(),
        Some("（推算不能完成）")
    );
}

#[test]
fn a_monitoring_label_is_not_cut_from_its_value_at_80_columns() {
    // At 80 columns each indicator of `monitor` is a block of `label value` fields; the
    // block was wrapped as one text, so `完成比 94.29` read `完成` / `比 94.29` and
    // `序时应完成 ≤ 800元/件` read `… ≤` / `800元/件`.
    use jixiao::monitor;
    let m = crate::monitor::sample_as_of_0731();
    let text = monitor::render::table(&m, jixiao::i18n::Lang::Zh, Some(80));
    // O1: 66 ÷ (120 × 58.33%) × 100 = 66 ÷ 69.996 × 100 = 94.29
    assert!(text.lines().any(|l| l.contains("完成比 94.29")), "{text}");
    assert!(
        text.lines().any(|l| l.contains("序时应完成 ≤ 800元/件")),
        "{text}"
    );
}

#[test]
fn an_unfilled_folder_is_said_in_the_language_asked_for() {
    // score on a fresh `init` folder spoke Chinese under --lang en, and its Chinese lines
    // began `jixiao: ` where every other Chinese line begins `jixiao：`.
    let tmp = TempDir::new().unwrap();
    let out = run(tmp.path(), &["init", "饮水安全"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let out = run(tmp.path(), &["score", "饮水安全"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.starts_with("jixiao：评价目录 饮水安全 还没有填写完"),
        "{err}"
    );
    assert!(err.contains("jixiao：未打分。"), "{err}");
    let out = run(tmp.path(), &["--lang", "en", "score", "饮水安全"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    // budget 6, spending 6, evaluation.toml 2, outputs 8 × 2, judgments 3 = 33 left
    assert!(
        err.starts_with(
            "jixiao: the evaluation folder 饮水安全 is not filled in yet: 33 “【待填写…】” left by jixiao init"
        ),
        "{err}"
    );
    assert!(err.contains("jixiao: not scored."), "{err}");
    assert!(!err.contains("还没有填写完"), "{err}");
}

#[test]
fn check_on_a_folder_with_nothing_to_check_says_so() {
    // `check` on a folder holding no scheme, profile or evaluation passed with no output at
    // all: a CI gate pointed at a moved or mistyped folder looked green.
    let tmp = TempDir::new().unwrap();
    fs::create_dir(tmp.path().join("schemes")).unwrap();
    fs::write(tmp.path().join("schemes/notes.txt"), "not a scheme\n").unwrap();
    let out = run(tmp.path(), &["check", "schemes"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        stderr(&out).contains("jixiao check：schemes 中没有可检查的文件"),
        "{}",
        stderr(&out)
    );
    let out = run(tmp.path(), &["--lang", "en", "check", "schemes"]);
    assert!(
        stderr(&out).contains("jixiao check: nothing to check in schemes"),
        "{}",
        stderr(&out)
    );
    // a folder with something to check stays silent when all is well
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = run(here, &["check", "indicators"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(stderr(&out).is_empty(), "{}", stderr(&out));
}

#[test]
fn the_chinese_help_has_no_space_where_its_comment_was_wrapped() {
    // clap joins a doc comment's lines with a space: `另按此体系对公布数 打分`,
    // `默认不用； JX2019` in `review -h`.
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = stdout(&run(here, &["review", "-h"]));
    assert!(
        text.contains("另按此体系对公布数打分，并列两个总分"),
        "{text}"
    );
    assert!(text.contains("默认不用；JX2019）"), "{text}");
    // a space beside ASCII stays
    assert!(text.contains("10+90 或 20+80"), "{text}");
}

#[test]
fn a_root_that_cannot_be_opened_is_said_in_chinese() {
    // `score --root` naming no folder printed the error chain in English under --lang zh.
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = run(
        here,
        &["score", "samples/legal-aid-2022", "--root", "no-such-root"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).starts_with("jixiao：--root no-such-root：没有这个目录"),
        "{}",
        stderr(&out)
    );
    let out = run(
        here,
        &[
            "--lang",
            "en",
            "score",
            "samples/legal-aid-2022",
            "--root",
            "no-such-root",
        ],
    );
    assert!(
        stderr(&out).starts_with("jixiao: --root no-such-root: no such folder"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn the_monitoring_csv_says_whether_a_target_can_be_met() {
    // The CSV of `monitor` had 完成目标可能性 only as the officer wrote it: O1, with none
    // written and a run rate short of its target (66 × 12/7 = 113.14 < 120 件), read as
    // nothing at all. JSON had `achievable`; the CSV now has it too.
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = run(
        here,
        &[
            "monitor",
            "samples/legal-aid-2022",
            "--as-of",
            "2022-07-31",
            "--format",
            "csv",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    let mut rows = csv::Reader::from_reader(text.trim_start_matches('\u{FEFF}').as_bytes());
    let header = rows.headers().unwrap().clone();
    let at = |name: &str| header.iter().position(|h| h == name).unwrap();
    let o1 = rows
        .records()
        .map(Result::unwrap)
        .find(|r| &r[at("id")] == "O1")
        .unwrap();
    assert_eq!(&o1[at("likelihood")], "");
    assert_eq!(&o1[at("achievable")], "false");
}

#[test]
fn the_monitoring_form_s_narrow_headers_break_before_the_unit() {
    // Columns A, B and G of the 监控表 are 10–12 characters wide: `调整后预算数（元）` was
    // printed `调整后预算数（元` / `）`.
    let (_, cells) = monitoring_form_0731();
    let text = |r: u32, c: u32| cells.get_value((r, c)).map(ToString::to_string);
    // row 5 (0-based 4) holds the budget block's headers
    assert_eq!(text(4, 0).as_deref(), Some("年初预算数\n（元）"));
    assert_eq!(text(4, 1).as_deref(), Some("调整后预算数\n（元）"));
    assert_eq!(text(4, 6).as_deref(), Some("全年预计\n执行数\n（元）"));
}
