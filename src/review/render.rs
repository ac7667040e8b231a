//! Rendering a review: a table per evaluation and a summary across many (people), one JSON
//! document (programs), or GitHub Actions annotations (CI).

use rust_decimal::Decimal;
use serde_json::{Value, json};
use std::fmt::Write;

use super::{Baseline, Review, ReviewReport, Verdict, VerdictCounts};
use crate::decimal::{plain, score_text};
use crate::diag::Code;
use crate::i18n::Lang;
use crate::report::layout::{self, Column};
use crate::report::num;
use crate::report::table::new_table;

/// What each finding code means, in a few words.
pub fn title(code: Code, lang: Lang) -> &'static str {
    let (zh, en) = match code {
        Code::RateOffAmounts => ("比率与金额不符", "rate does not follow from the amounts"),
        Code::Truncated => ("截断而非四舍五入", "cut off instead of rounded"),
        Code::ExecutionScoreOffRule => (
            "预算执行率得分与评分规则不符",
            "预算执行率 score off the rule",
        ),
        Code::WeightsOffSum => ("分值之和不符", "weights do not add up"),
        Code::ScoresOffSum => ("得分之和不符", "scores do not add up"),
        Code::GradeOffBands => ("评价等级与总分不符", "grade does not match the total"),
        Code::ScoreAboveWeight => ("得分超过分值", "score above its weight"),
        Code::FullMarksTargetUnmet => (
            "未达到年度指标值却得满分",
            "full points on a target not met",
        ),
        Code::ScoreOffRule => ("得分与评分规则不符", "score off the rule"),
        Code::LostPointsNoReason => ("扣分未说明原因", "points lost with no reason"),
        Code::ScoreOutsideTier => (
            "定性得分不在档次范围内",
            "qualitative score outside its tier",
        ),
        Code::FundsRowsContradict => ("资金行之间相互矛盾", "funds rows contradict each other"),
        Code::WeightOffScheme => ("分值与指标体系不符", "weight differs from the scheme"),
        Code::FullOutputsLowExecution => (
            "执行率很低而产出全部满分",
            "full outputs beside a very low execution rate",
        ),
        Code::OffRecords => ("公布数与原始记录不符", "differs from the records"),
        Code::ActualRestatesTarget => (
            "实际完成值只重复了年度指标值",
            "the actual only restates the target",
        ),
        Code::SpentAboveBudget => ("全年执行数超过全年预算数", "spent more than the budget"),
        Code::FullTotalLowExecution => (
            "执行率不足 100% 而总分满分",
            "full marks beside an execution rate under 100%",
        ),
        Code::AboveExecutionCap => ("总分超过执行率封顶", "total above the execution cap"),
        Code::ConvertedScoreOff => (
            "折算得分与得分、权重不符",
            "converted score off its conversion",
        ),
        _ => ("", ""),
    };
    lang.pick(zh, en)
}

/// `text` in brackets: full-width in Chinese, ASCII in English.
fn paren(text: &str, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("（{text}）"),
        Lang::En => format!(" ({text})"),
    }
}

fn opt_score(v: Option<Decimal>, grade: Option<&String>, lang: Lang) -> String {
    match (v, grade) {
        (Some(v), Some(g)) if !g.is_empty() => format!("{}{}", score_text(v), paren(g, lang)),
        (Some(v), _) => score_text(v),
        (None, _) => "—".into(),
    }
}

/// Tables for people: each evaluation, then (for more than one) the summary. `width` fixes
/// the table width (tests); `None` fits the terminal.
/// The reviews worst first: most findings, then most figures not checkable, then by file.
pub fn worst_first(report: &ReviewReport) -> Vec<&Review> {
    let mut reviews: Vec<&Review> = report.reviews.iter().collect();
    reviews.sort_by(|a, b| {
        (b.findings.len(), b.verdicts().not_checkable)
            .cmp(&(a.findings.len(), a.verdicts().not_checkable))
            .then_with(|| (&a.claims, &a.sheet).cmp(&(&b.claims, &b.sheet)))
    });
    reviews
}

/// One line per table reviewed, worst first: what a bureau reads before the details.
fn overview(out: &mut String, report: &ReviewReport, lang: Lang, width: Option<u16>) {
    let l = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let mut t = new_table(width);
    t.set_header(vec![
        l("自评表", "Table"),
        l("主管部门", "Department"),
        l("项目", "Project"),
        l("公布总分", "Published"),
        l("复算总分", "Recomputed"),
        l("问题", "Findings"),
        l("无法核对", "Not checkable"),
    ]);
    for r in worst_first(report) {
        let file = match &r.sheet {
            Some(s) => format!("{} [{s}]", r.claims.display()),
            None => r.claims.display().to_string(),
        };
        let project = [r.project.clone(), r.name.clone()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
        t.add_row(vec![
            file,
            r.department.clone().unwrap_or_default(),
            project,
            opt_score(r.totals.claimed, r.totals.claimed_grade.as_ref(), lang),
            opt_score(
                r.totals.recomputed,
                r.totals.recomputed_grade.as_ref(),
                lang,
            ),
            r.findings.len().to_string(),
            r.verdicts().not_checkable.to_string(),
        ]);
    }
    for (path, problems) in &report.failures {
        t.add_row(vec![
            path.display().to_string(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            l("无法复核", "not reviewed").to_string(),
            format!("{} {}", problems.errors().count(), l("个错误", "error(s)")),
        ]);
    }
    let _ = writeln!(out, "{t}\n");
}

/// One CSV row per table reviewed, worst first (a header row, then the rows); a table that
/// could not be reviewed is a row with its errors counted.
pub fn csv(report: &ReviewReport) -> String {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    let _ = w.write_record([
        "file",
        "sheet",
        "department",
        "project",
        "name",
        "year",
        "published_total",
        "published_grade",
        "recomputed_total",
        "recomputed_grade",
        "findings",
        "agrees",
        "differs",
        "not_checkable",
        "codes",
        "errors",
    ]);
    let text = |d: Option<Decimal>| d.map(|d| d.to_string()).unwrap_or_default();
    for r in worst_first(report) {
        let v = r.verdicts();
        let mut codes: Vec<&str> = r.findings.iter().map(|f| f.code.as_str()).collect();
        codes.sort_unstable();
        codes.dedup();
        let cells = [
            r.claims.display().to_string(),
            r.sheet.clone().unwrap_or_default(),
            r.department.clone().unwrap_or_default(),
            r.project.clone().unwrap_or_default(),
            r.name.clone().unwrap_or_default(),
            r.year.map(|y| y.to_string()).unwrap_or_default(),
            text(r.totals.claimed),
            r.totals.claimed_grade.clone().unwrap_or_default(),
            text(r.totals.recomputed),
            r.totals.recomputed_grade.clone().unwrap_or_default(),
            r.findings.len().to_string(),
            v.agrees.to_string(),
            v.differs.to_string(),
            v.not_checkable.to_string(),
            codes.join(" "),
            String::new(),
        ];
        let _ = w.write_record(cells.iter().map(|c| crate::report::csv::neutralise(c)));
    }
    for (path, problems) in &report.failures {
        let mut cells = vec![String::new(); 16];
        cells[0] = path.display().to_string();
        cells[15] = problems.errors().count().to_string();
        let _ = w.write_record(cells.iter().map(|c| crate::report::csv::neutralise(c)));
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

pub fn table(report: &ReviewReport, lang: Lang, width: Option<u16>) -> String {
    let l = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let mut out = String::new();
    if report.reviews.len() + report.failures.len() > 1 {
        overview(&mut out, report, lang, width);
    }
    for r in worst_first(report) {
        review_table(&mut out, r, lang, width);
    }
    if report.reviews.len() + report.failures.len() > 1 {
        let consistent = report
            .reviews
            .iter()
            .filter(|r| r.findings.is_empty())
            .count();
        let _ = writeln!(
            out,
            "{}{}{}{}{}{}{}",
            l("复核 ", "Reviewed "),
            report.reviews.len(),
            l(" 份，一致 ", ", consistent "),
            consistent,
            l(" 份，问题 ", ", findings "),
            report.findings(),
            l(" 处", "")
        );
        let _ = writeln!(out, "{}", count_line(report.verdicts(), lang));
        if !report.failures.is_empty() {
            let _ = writeln!(
                out,
                "{}{}",
                l("无法复核：", "Could not review: "),
                report.failures.len()
            );
        }
        let by_code = report.by_code();
        if !by_code.is_empty() {
            let mut t = new_table(width);
            t.set_header(vec![
                l("代码", "Code"),
                l("处数", "Findings"),
                l("含义", "Meaning"),
            ]);
            for (code, n) in by_code {
                t.add_row(vec![
                    code.as_str().to_string(),
                    n.to_string(),
                    title(code, lang).to_string(),
                ]);
            }
            let _ = writeln!(out, "{t}");
            let most = report
                .most()
                .iter()
                .take(5)
                .map(|(p, n)| format!("{} ({n})", p.display()))
                .collect::<Vec<_>>()
                .join(l("、", ", "));
            let _ = writeln!(out, "{}{most}", l("问题最多：", "Most findings: "));
        }
    }
    out
}

fn review_table(out: &mut String, r: &Review, lang: Lang, width: Option<u16>) {
    let l = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let sheet = r
        .sheet
        .as_ref()
        .map(|s| paren(&format!("{}{s}", l("工作表 ", "sheet ")), lang))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "{}{}{sheet}",
        l("复核：", "Review: "),
        r.claims.display()
    );
    let mut head = Vec::new();
    if r.project.is_some() || r.name.is_some() {
        head.push(format!(
            "{}{}",
            l("项目：", "Project: "),
            [r.project.clone(), r.name.clone()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" ")
        ));
    }
    if let Some(y) = r.year {
        head.push(format!("{}{y}", l("年度：", "Year: ")));
    }
    head.push(format!(
        "{}{}",
        l("指标体系：", "Scheme: "),
        r.scheme.as_ref().map_or_else(
            || l(
                "（无，按公布的分值与年度指标值）",
                "(none: the printed weights and targets)"
            )
            .to_string(),
            |(id, _)| id.clone()
        )
    ));
    if let Some(dir) = &r.records {
        head.push(format!("{}{}", l("原始记录：", "Records: "), dir.display()));
    }
    let _ = writeln!(out, "{}", head.join("  "));
    let t = &r.totals;
    let mut totals = vec![
        format!(
            "{}{}",
            l("公布 ", "published "),
            opt_score(t.claimed, t.claimed_grade.as_ref(), lang)
        ),
        format!(
            "{}{}",
            l("按公布数复算 ", "recomputed "),
            opt_score(t.recomputed, t.recomputed_grade.as_ref(), lang)
        ),
    ];
    if r.records.is_some() {
        totals.push(format!(
            "{}{}",
            l("原始记录 ", "records "),
            opt_score(t.records, t.records_grade.as_ref(), lang)
        ));
    }
    if let Some(b) = &r.baseline {
        totals.push(format!(
            "{}{} {}",
            l("基准 ", "baseline "),
            b.scheme_id,
            opt_score(b.total, b.grade.as_ref(), lang)
        ));
    }
    let _ = writeln!(out, "{}{}", l("总分：", "Total: "), totals.join(" | "));
    if let Some(why) = &t.recomputed_why {
        let _ = writeln!(
            out,
            "{}{why}",
            l("总分无法按公布数复算：", "Total not recomputed: ")
        );
    }
    if let Some(e) = &r.execution {
        let _ = writeln!(
            out,
            "{}{}{}{}{}",
            l("执行率：公布 ", "Execution rate: published "),
            e.claimed.as_deref().unwrap_or("—"),
            l(" | 按公布金额 ", " | from the printed amounts "),
            e.recomputed
                .map_or_else(|| "—".to_string(), crate::decimal::percent),
            paren(&e.basis, lang)
        );
    }
    if let Some(b) = &r.baseline {
        baseline_lines(out, b, lang);
    }
    let _ = writeln!(out, "{}", count_line(r.verdicts(), lang));
    out.push('\n');
    if r.findings.is_empty() {
        let _ = writeln!(
            out,
            "{}\n",
            l("一致：未发现问题。", "Consistent: no finding.")
        );
        unchecked_lines(out, r, lang);
        return;
    }
    // Laid out as the score tables are: numbers and units never cut, the room left going
    // first to the item and the rule (what a reviewer reads), at 80 columns as at 120.
    let column = |header, wrap, priority| Column {
        header,
        wrap,
        priority,
        right: false,
    };
    let columns = [
        column(l("代码", "Code"), false, false),
        column(l("行", "Line"), false, false),
        column(l("项目", "Item"), true, true),
        column(l("问题", "Finding"), true, false),
        column(l("公布", "Published"), true, false),
        column(l("复核", "Recomputed"), true, false),
        column(l("依据", "Rule"), true, true),
    ];
    let rows = r
        .findings
        .iter()
        .map(|f| {
            vec![
                f.code.as_str().to_string(),
                f.line.to_string(),
                f.subject.clone(),
                f.message.clone(),
                f.claim.clone(),
                f.recomputed.clone(),
                f.rule.clone(),
            ]
        })
        .collect();
    let (table, _) = layout::table(&columns, rows, width);
    let _ = writeln!(out, "{table}");
    let _ = writeln!(
        out,
        "{}{}{}\n",
        l("问题 ", ""),
        r.findings.len(),
        l(" 处", " finding(s)")
    );
    unchecked_lines(out, r, lang);
}

/// `核对 38 项：一致 12，不符 6，无法核对 20`.
fn count_line(c: VerdictCounts, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!(
            "核对 {} 项：一致 {}，不符 {}，无法核对 {}",
            c.figures(),
            c.agrees,
            c.differs,
            c.not_checkable
        ),
        Lang::En => format!(
            "Figures: {}: agree {}, differ {}, not checkable {}",
            c.figures(),
            c.agrees,
            c.differs,
            c.not_checkable
        ),
    }
}

/// The figures that could not be checked, grouped by why, each with its line.
fn unchecked_lines(out: &mut String, r: &Review, lang: Lang) {
    let l = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let mut by_reason: Vec<(&str, Vec<String>)> = Vec::new();
    for f in r
        .figures
        .iter()
        .filter(|f| f.verdict == Verdict::NotCheckable)
    {
        let reason = f.reason.as_deref().unwrap_or_default();
        let item = format!("{:>4}  {}  {}", f.line, f.subject, f.claim);
        match by_reason.iter_mut().find(|(w, _)| *w == reason) {
            Some((_, items)) => items.push(item),
            None => by_reason.push((reason, vec![item])),
        }
    }
    if by_reason.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "{}{}{}",
        l("无法核对的 ", "Not checkable: "),
        r.verdicts().not_checkable,
        l(" 项（行号、项目、公布数）：", " (line, item, as printed):")
    );
    for (reason, items) in by_reason {
        let _ = writeln!(out, "- {reason}{}", l("：", ":"));
        for item in items {
            let _ = writeln!(out, "  {item}");
        }
    }
    out.push('\n');
}

fn baseline_lines(out: &mut String, b: &Baseline, lang: Lang) {
    let l = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    if let Some(e) = &b.execution {
        let _ = writeln!(
            out,
            "{}{} {}{}{} / {}{}",
            l("基准 ", "Baseline "),
            e.id,
            e.name,
            l("：", ": "),
            e.score.map_or_else(|| "—".into(), score_text),
            plain(e.weight),
            paren(&e.basis, lang)
        );
    }
    if b.total.is_none() {
        let missing: Vec<String> = b
            .indicators
            .iter()
            .filter(|i| i.score.is_none())
            .map(|i| format!("{} {}{}", i.id, i.name, paren(&i.basis, lang)))
            .collect();
        let _ = writeln!(
            out,
            "{}{}",
            l(
                "基准总分无法复算，公布数缺：",
                "Baseline total not computed; the published figures lack: "
            ),
            missing.join(l("、", ", "))
        );
    }
}

/// `{agrees, differs, not_checkable}`.
fn counts(c: VerdictCounts) -> Value {
    json!({
        "agrees": c.agrees,
        "differs": c.differs,
        "not_checkable": c.not_checkable,
    })
}

fn opt(v: Option<Decimal>) -> Value {
    v.map_or(Value::Null, num)
}

/// One JSON document: counts, findings per code, the evaluations with most findings, and
/// each evaluation with its totals, baseline and findings. Keys: `docs/review.md`.
pub fn json(report: &ReviewReport) -> String {
    let evaluations: Vec<Value> = report
        .reviews
        .iter()
        .map(|r| {
            let t = &r.totals;
            json!({
                "claims": r.claims.display().to_string(),
                "sheet": r.sheet,
                "project": r.project,
                "name": r.name,
                "year": r.year,
                "department": r.department,
                "scheme": r.scheme.as_ref().map(|(id, title)| json!({"id": id, "title": title})),
                "records": r.records.as_ref().map(|p| p.display().to_string()),
                "totals": {
                    "claimed": opt(t.claimed),
                    "claimed_grade": t.claimed_grade,
                    "recomputed": opt(t.recomputed),
                    "recomputed_grade": t.recomputed_grade,
                    "recomputed_why": t.recomputed_why,
                    "records": opt(t.records),
                    "records_grade": t.records_grade,
                },
                "execution": r.execution.as_ref().map(|e| json!({
                    "claimed": e.claimed,
                    "recomputed": opt(e.recomputed),
                    "basis": e.basis,
                })),
                "baseline": r.baseline.as_ref().map(|b| {
                    let ind = |i: &super::BaselineIndicator| json!({
                        "id": i.id,
                        "name": i.name,
                        "weight": num(i.weight),
                        "score": opt(i.score),
                        "basis": i.basis,
                    });
                    json!({
                        "scheme": b.scheme_id,
                        "title": b.title,
                        "total": opt(b.total),
                        "grade": b.grade,
                        "execution": b.execution.as_ref().map(ind),
                        "indicators": b.indicators.iter().map(ind).collect::<Vec<_>>(),
                    })
                }),
                "findings": r.findings.iter().map(|f| json!({
                    "code": f.code.as_str(),
                    "file": f.file.display().to_string(),
                    "line": f.line,
                    "column": f.column,
                    "field": f.field,
                    "subject": f.subject,
                    "claim": f.claim,
                    "recomputed": f.recomputed,
                    "rule": f.rule,
                    "message": f.message,
                })).collect::<Vec<_>>(),
                "verdicts": counts(r.verdicts()),
                "figures": r.figures.iter().map(|f| json!({
                    "field": f.field,
                    "subject": f.subject,
                    "claim": f.claim,
                    "line": f.line,
                    "column": f.column,
                    "verdict": f.verdict.key(),
                    "codes": f.codes.iter().map(|c| c.as_str()).collect::<Vec<_>>(),
                    "reason": f.reason,
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    let doc = json!({
        "reviewed": report.reviews.len(),
        "consistent": report.reviews.iter().filter(|r| r.findings.is_empty()).count(),
        "findings": report.findings(),
        "could_not_review": report.failures.len(),
        "verdicts": counts(report.verdicts()),
        "by_code": report.by_code().iter().map(|(c, n)| json!({"code": c.as_str(), "count": n})).collect::<Vec<_>>(),
        "most": report.most().iter().map(|(p, n)| json!({"claims": p.display().to_string(), "findings": n})).collect::<Vec<_>>(),
        "evaluations": evaluations,
        "failures": report.failures.iter().map(|(p, problems)| json!({
            "claims": p.display().to_string(),
            "problems": problems.0.iter().map(crate::report::json::problem).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    });
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}

/// GitHub Actions workflow commands: one `::error …::` line per finding, then one per
/// problem of a claims file that could not be reviewed.
pub fn github(report: &ReviewReport) -> String {
    let data = |s: &str| {
        s.replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A")
    };
    let prop = |s: &str| data(s).replace(':', "%3A").replace(',', "%2C");
    let mut out = String::new();
    for f in report.reviews.iter().flat_map(|r| &r.findings) {
        let _ = writeln!(
            out,
            "::error file={},line={},col={},title={}::{}",
            prop(&f.file.display().to_string()),
            f.line,
            f.column,
            prop(f.code.as_str()),
            data(&format!(
                "{}: {} — published {}, recomputed {} ({})",
                f.subject, f.message, f.claim, f.recomputed, f.rule
            ))
        );
    }
    for p in report.failures.iter().flat_map(|(_, p)| p.errors()) {
        let mut props = vec![format!("file={}", prop(&p.file.display().to_string()))];
        if let Some(line) = p.line {
            props.push(format!("line={line}"));
        }
        if let Some(col) = p.column {
            props.push(format!("col={col}"));
        }
        if let Some(code) = p.code {
            props.push(format!("title={}", prop(code.as_str())));
        }
        let mut message = p.message.clone();
        if let Some(e) = &p.expected {
            message.push_str(&format!("; expected {e}"));
        }
        let _ = writeln!(out, "::error {}::{}", props.join(","), data(&message));
    }
    out
}
