//! The 绩效评价报告 draft as a document model, following the official outline
//! (财预〔2020〕10号 附件3, as the seed report lays it out): 一、基本情况; 二、绩效评价工作开展
//! 情况; 三、综合评价情况及评价结论 (with the score tables); 四、绩效评价指标分析 (决策, 过程,
//! 产出, 效益, each with its figures, its indicators and every lost point with its reason);
//! 五、主要经验及做法、存在的问题及原因分析; 六、有关建议; 七、其他需要说明的问题 — the
//! titles of the 参考提纲 word for word (一（一）项目概况, not the seed report's 项目基本情况).
//!
//! Figures and tables come from the outcome; prose from the narrative, and a section without
//! it gets a placeholder marked 【待补充】. [`super::markdown`] and [`super::html`] render it.

use rust_decimal::Decimal;

use super::narrative::{self, Narrative};
use super::previous::{Change, Comparison, Kind};
use crate::builtin::Builtin;
use crate::decimal::{percent, plain, score_text, wan};
use crate::diag::Problems;
use crate::i18n::Lang;
use crate::metrics::Metrics;
use crate::outcome::Outcome;
use crate::scheme::{DimensionKind, Rule, Scoring};
use crate::scoring::IndicatorScore;

/// A block of the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// Level 2: 一、…; level 3: （一）….
    Heading(u8, String),
    Paragraph(String),
    /// A placeholder for narrative not yet written (【待补充】…).
    Todo(String),
    /// A note about the draft itself.
    Note(String),
    /// A table caption (表1 …).
    Caption(String),
    Table(Table),
    List(Vec<String>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// Columns of numbers (right-aligned).
    pub numeric: Vec<usize>,
}

/// The whole draft.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    pub title: String,
    pub blocks: Vec<Block>,
}

/// The marker of a placeholder.
pub const TODO: &str = "【待补充】";

const SECTION: [&str; 7] = ["一", "二", "三", "四", "五", "六", "七"];
const SUB: [&str; 4] = ["（一）", "（二）", "（三）", "（四）"];

struct Builder<'a> {
    o: &'a Outcome,
    narrative: &'a Narrative,
    comparison: Option<&'a Comparison>,
    metrics: Metrics<'a>,
    problems: Problems,
    blocks: Vec<Block>,
    tables: usize,
}

/// Build the draft. Problems: `{{…}}` in the narrative that name nothing.
pub fn build(
    o: &Outcome,
    narrative: &Narrative,
    comparison: Option<&Comparison>,
) -> Result<Document, Problems> {
    let mut b = Builder {
        o,
        narrative,
        comparison,
        metrics: o.metrics(),
        problems: Problems::default(),
        blocks: Vec::new(),
        tables: 0,
    };
    b.header();
    b.basic();
    b.work();
    b.conclusion();
    b.analysis();
    b.lessons();
    b.pending_note();
    if b.problems.has_errors() {
        return Err(b.problems);
    }
    Ok(Document {
        title: format!(
            "{}{}绩效评价报告",
            year_prefix(&o.project.name, o.project.year, "年"),
            project_noun(&o.project.name)
        ),
        blocks: b.blocks,
    })
}

/// The project's name as a noun: "法律援助" → "法律援助项目"; a registered name that already
/// ends in 项目 keeps its own (never "…项目项目").
fn project_noun(name: &str) -> String {
    if name.ends_with("项目") {
        name.to_string()
    } else {
        format!("{name}项目")
    }
}

/// "2022年" (with `suffix` after the year) to put before the name, or nothing when the
/// name starts with its year already, as registered names often do ("2023年某某镇…工程"):
/// never "2023年2023年…".
fn year_prefix(name: &str, year: i32, suffix: &str) -> String {
    if name.starts_with(&format!("{year}年")) {
        String::new()
    } else {
        format!("{year}{suffix}")
    }
}

/// Points with "分": 14 → "14分", 6.79 → "6.79分".
fn points(d: Decimal) -> String {
    format!("{}分", plain(d))
}

/// A first-level name as "…指标": 决策 → 决策指标, 产出指标 stays.
fn dim_label(name: &str) -> String {
    if name.ends_with("指标") {
        name.to_string()
    } else {
        format!("{name}指标")
    }
}

/// "提高3分" / "降低0.6分" / "持平".
fn change_words(delta: Decimal, unit: &str) -> String {
    if delta > Decimal::ZERO {
        format!("提高{}{unit}", plain(delta))
    } else if delta < Decimal::ZERO {
        format!("降低{}{unit}", plain(-delta))
    } else {
        "持平".to_string()
    }
}

impl Builder<'_> {
    fn push(&mut self, b: Block) {
        self.blocks.push(b);
    }

    fn section(&mut self, n: usize, title: &str) {
        self.push(Block::Heading(2, format!("{}、{title}", SECTION[n])));
    }

    fn sub(&mut self, n: usize, title: &str) {
        self.push(Block::Heading(3, format!("{}{title}", SUB[n])));
    }

    fn caption(&mut self, title: &str) {
        self.tables += 1;
        let n = self.tables;
        self.push(Block::Caption(format!("表{n} {title}")));
    }

    /// The narrative of a slot as paragraphs (one per line), or its placeholder.
    fn narrative(&mut self, key: &str) -> bool {
        match narrative::fill(
            self.o,
            &mut self.metrics,
            self.narrative,
            key,
            &mut self.problems,
        ) {
            Some(text) => {
                for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
                    self.push(Block::Paragraph(line.to_string()));
                }
                true
            }
            None => {
                let s = narrative::slot(key);
                let (table, field) = key.split_once('.').unwrap_or((key, ""));
                let place = match &self.narrative.file {
                    Some(f) if f.extension().is_some_and(|e| e == "md") => {
                        format!("narrative.md 的“## {}”下", s.title)
                    }
                    _ => format!("narrative.toml 的 [{table}] {field} 中"),
                };
                self.push(Block::Todo(format!(
                    "{TODO}{}：{}。（在 {place}填写）",
                    s.title, s.hint
                )));
                false
            }
        }
    }

    fn header(&mut self) {
        let o = self.o;
        let mut who = Vec::new();
        if let Some(d) = &o.project.department {
            who.push(format!("主管部门：{d}"));
        }
        if let Some(u) = &o.project.unit {
            who.push(format!("实施单位：{u}"));
        }
        if !who.is_empty() {
            self.push(Block::Paragraph(who.join("　")));
        }
    }

    /// The note on how the draft was made, at the top: only while something is still to
    /// be written (a part marked 【待补充】); a finished report carries no word about the
    /// tool.
    fn pending_note(&mut self) {
        let pending = self
            .blocks
            .iter()
            .filter(|b| matches!(b, Block::Todo(_)))
            .count();
        if pending == 0 {
            return;
        }
        let o = self.o;
        let note = Block::Note(format!(
            "本稿由 jixiao 依据评价数据生成（指标体系：{}，{}）。数字、评分表与扣分原因均为计算结果；\
             叙述取自 narrative.toml，尚有{pending}处标有“{TODO}”，需填写后定稿。",
            o.scheme.title, o.scheme.id
        ));
        // after the 主管部门/实施单位 line, when there is one
        let at = usize::from(matches!(self.blocks.first(), Some(Block::Paragraph(_))));
        self.blocks.insert(at, note);
    }

    fn basic(&mut self) {
        let o = self.o;
        self.section(0, "基本情况");
        self.sub(0, "项目概况");
        self.narrative("basic.overview");
        let mut facts = vec![format!(
            "项目名称：{}（项目编码 {}）",
            o.project.name, o.project.id
        )];
        if let Some(d) = &o.project.department {
            facts.push(format!("主管部门：{d}"));
        }
        if let Some(u) = &o.project.unit {
            facts.push(format!("实施单位：{u}"));
        }
        facts.push(format!("评价年度：{}年", o.project.year));
        self.push(Block::Paragraph(format!("{}。", facts.join("；"))));
        self.caption("项目资金情况");
        self.funds_table();
        self.sub(1, "项目绩效目标");
        self.narrative("basic.goals");
        if let Some(text) = narrative::fill(
            o,
            &mut self.metrics,
            self.narrative,
            "basic.achieved",
            &mut self.problems,
        ) {
            self.push(Block::Paragraph(format!(
                "年度总体目标完成情况：{}",
                text.trim()
            )));
        }
    }

    fn funds_table(&mut self) {
        let f = &self.o.funds;
        let mut header = vec!["项目".to_string(), "金额（万元）".to_string()];
        let cmp = self.comparison;
        if let Some(c) = cmp {
            let (py, _) = c.year_labels(Lang::Zh);
            header.push(format!("{py}（万元）"));
            header.push("变动".into());
        }
        let mut rows = Vec::new();
        let change = |b: Builtin| cmp.and_then(|c| c.metrics.iter().find(|(k, _)| *k == b));
        for b in Builtin::ALL {
            let label = match b {
                // The draft spells out the two definitions in its own words.
                Builtin::ExecutionRate => "预算执行率（全年执行数/全年预算数）",
                Builtin::ExecutionRateAllocated => "预算执行率（执行数/实际到位资金）",
                _ => b.zh(),
            };
            let shown = match f.value(b) {
                Some(v) if b.is_money() => wan(v, self.o.wan_places),
                Some(v) => percent(v),
                None => "—".into(),
            };
            let mut row = vec![label.to_string(), shown];
            if let Some((_, ch)) = change(b) {
                row.push(ch.previous_text());
                row.push(ch.delta_text(Lang::Zh));
            }
            rows.push(row);
        }
        let numeric = (1..header.len()).collect();
        self.push(Block::Table(Table {
            header,
            rows,
            numeric,
        }));
        if f.by_source.len() > 1 {
            self.caption("资金来源");
            let rows = f
                .by_source
                .iter()
                .map(|s| {
                    vec![
                        s.source.clone(),
                        wan(s.initial_budget, self.o.wan_places),
                        wan(s.adjusted_budget, self.o.wan_places),
                        wan(s.allocated, self.o.wan_places),
                    ]
                })
                .collect();
            self.push(Block::Table(Table {
                header: [
                    "资金来源",
                    "年初预算数（万元）",
                    "全年预算数（万元）",
                    "实际到位资金（万元）",
                ]
                .map(String::from)
                .to_vec(),
                rows,
                numeric: vec![1, 2, 3],
            }));
        }
    }

    fn work(&mut self) {
        let o = self.o;
        self.section(1, "绩效评价工作开展情况");
        self.sub(0, "绩效评价目的、对象和范围");
        self.narrative("work.purpose");
        self.sub(1, "绩效评价原则、评价指标体系、评价方法、评价标准");
        self.narrative("work.principles");
        let s = &o.scheme;
        let dims: Vec<String> = s
            .dimensions
            .iter()
            .map(|d| format!("{}（{}）", d.name, points(d.weight)))
            .collect();
        let groups: usize = s.dimensions.iter().map(|d| d.groups.len()).sum();
        let count = s.indicators().count();
        self.push(Block::Paragraph(format!(
            "评价指标体系采用《{}》，设{}共{}个一级指标、{}个二级指标、{}个三级指标，满分{}。",
            s.title,
            dims.join("、"),
            s.dimensions.len(),
            groups,
            count,
            points(s.total)
        )));
        // how the indicators are scored, by kind of rule
        let mut kinds: Vec<(String, Vec<&str>)> = Vec::new();
        for (_, _, i) in s.indicators() {
            let how: String = match &i.scoring {
                Scoring::Quantitative { rule, .. } => match rule {
                    Rule::Proportional => {
                        "正向指标按“实际完成值/年度指标值×分值”计分，达到指标值得满分".into()
                    }
                    Rule::Inverse => {
                        "反向指标按“年度指标值/实际完成值×分值”计分，不超过指标值得满分".into()
                    }
                    Rule::ReverseDeviation => {
                        "反向指标按“(1−(实际完成值−指标值)/指标值)×分值”计分，达到指标值2倍不得分"
                            .into()
                    }
                    Rule::EqualZero => "“=0”类指标发生即不得分".into(),
                    Rule::Bands(_) => "阶梯指标按所在区间得分".into(),
                    Rule::DeductPerPoint { .. } => "按差距每差一个步长扣分，扣完为止".into(),
                    Rule::DeductPerCase { .. } => "按每发生一次扣分，扣完为止".into(),
                    Rule::Binary => "是否类指标满足得满分，否则不得分".into(),
                    Rule::Tolerance { .. } => {
                        "趋中指标在容差范围内得满分，超出按偏差线性扣分".into()
                    }
                },
                Scoring::Checklist(_) => "评价要点类指标逐项计分".into(),
                Scoring::Qualitative(t) => {
                    let pct = |d: Decimal| format!("{}%", plain(d * Decimal::ONE_HUNDRED));
                    format!(
                        "定性指标分“达成年度指标”（分值的{}–100%）、“部分达成年度指标并具有一定效果”（{}–{}）、“未达成年度指标且效果较差”（0–{}）三档，由评价人在档内评分",
                        pct(t.achieved_min),
                        pct(t.partial_min),
                        pct(t.achieved_min),
                        pct(t.partial_min)
                    )
                }
                Scoring::Manual => "人工评分指标由评价人评分".into(),
            };
            match kinds.iter_mut().find(|(h, _)| *h == how) {
                Some((_, ids)) => ids.push(&i.id),
                None => kinds.push((how, vec![&i.id])),
            }
        }
        let methods: Vec<String> = kinds
            .iter()
            .map(|(how, ids)| format!("{how}（{}）", ids.join("、")))
            .collect();
        self.push(Block::Paragraph(format!(
            "评价方法：{}。得分四舍五入保留两位小数，总分为各三级指标得分之和。",
            methods.join("；")
        )));
        let mut grades: Vec<String> = Vec::new();
        for (n, g) in s.grades.iter().enumerate() {
            grades.push(if n == 0 {
                format!("{}（含）以上为“{}”", points(g.min), g.label)
            } else {
                let upper = &s.grades[n - 1];
                if g.min.is_zero() {
                    format!("{}以下为“{}”", points(upper.min), g.label)
                } else {
                    format!(
                        "{}（含）至{}为“{}”",
                        plain(g.min),
                        points(upper.min),
                        g.label
                    )
                }
            });
        }
        self.push(Block::Paragraph(format!(
            "评价标准：{}。",
            grades.join("，")
        )));
        self.sub(2, "绩效评价工作过程");
        self.narrative("work.process");
    }

    fn conclusion(&mut self) {
        self.section(2, "综合评价情况及评价结论");
        let text = self.summary();
        self.push(Block::Paragraph(text));
        self.narrative("conclusion.summary");
        self.score_table();
        self.indicator_table();
        self.previous_year_table();
    }

    /// The conclusion in words: total, grade, each dimension, lost points, last year.
    fn summary(&self) -> String {
        let o = self.o;
        let sh = &o.sheet;
        let dims = &sh.dimensions;
        let mut text = format!(
            "经评价，{}{}绩效自评得分为{}（满分{}），评价等级为“{}”。",
            project_noun(&o.project.name),
            year_prefix(&o.project.name, o.project.year, "年度"),
            points(sh.total),
            points(o.scheme.total),
            sh.grade
        );
        if !dims.is_empty() {
            let names = if dims.iter().any(|d| d.name.ends_with("指标")) {
                dims.iter()
                    .map(|d| dim_label(&d.name))
                    .collect::<Vec<_>>()
                    .join("、")
            } else {
                format!(
                    "{}指标",
                    dims.iter()
                        .map(|d| d.name.as_str())
                        .collect::<Vec<_>>()
                        .join("、")
                )
            };
            text.push_str(&format!(
                "其中，{names}分别得分{}（满分{}）。",
                dims.iter()
                    .map(|d| points(d.score))
                    .collect::<Vec<_>>()
                    .join("、"),
                dims.iter()
                    .map(|d| points(d.weight))
                    .collect::<Vec<_>>()
                    .join("、"),
            ));
        }
        if sh.rescaled {
            text.push_str(&format!(
                "部分指标不适用，总分按适用分值{}折算为百分制。",
                points(sh.applicable_weight)
            ));
        }
        let lost: Decimal = sh.indicators.iter().map(IndicatorScore::lost).sum();
        if lost > Decimal::ZERO {
            let n = sh
                .indicators
                .iter()
                .filter(|i| i.lost() > Decimal::ZERO)
                .count();
            text.push_str(&format!("共{}个指标失分，合计扣{}。", n, points(lost)));
        }
        if let Some(c) = self.comparison
            && let (Some(prev), Some(delta)) = (c.total.previous, c.total.delta())
        {
            let (py, _) = c.year_labels(Lang::Zh);
            text.push_str(&format!(
                "上年（{py}）得分{}、等级“{}”，本年{}。",
                points(prev),
                c.grade.0.as_deref().unwrap_or("—"),
                change_words(delta, "分")
            ));
        }
        text
    }

    /// 综合评分表: each dimension's weight, score and share, and the total.
    fn score_table(&mut self) {
        let o = self.o;
        let sh = &o.sheet;
        let dims = &sh.dimensions;
        let cmp = self.comparison;
        self.caption("综合评分表");
        let mut header: Vec<String> = ["一级指标", "分值", "得分", "得分率"]
            .map(String::from)
            .to_vec();
        if let Some(c) = cmp {
            let (py, _) = c.year_labels(Lang::Zh);
            header.push(format!("{py}得分"));
            header.push("变动".into());
        }
        let mut rows: Vec<Vec<String>> = dims
            .iter()
            .enumerate()
            .map(|(n, d)| {
                let mut row = vec![
                    d.name.clone(),
                    plain(d.weight),
                    score_text(d.score),
                    if d.weight.is_zero() {
                        "—".into()
                    } else {
                        percent(d.score / d.weight)
                    },
                ];
                if let Some(c) = cmp {
                    let ch = &c.dimensions[n].1;
                    row.push(ch.previous_text());
                    row.push(ch.delta_text(Lang::Zh));
                }
                row
            })
            .collect();
        let mut total = vec![
            "总分".to_string(),
            plain(o.scheme.total),
            score_text(sh.total),
            format!("等级：{}", sh.grade),
        ];
        if let Some(c) = cmp {
            total.push(c.total.previous_text());
            total.push(c.total.delta_text(Lang::Zh));
        }
        rows.push(total);
        let numeric = (1..header.len()).collect();
        self.push(Block::Table(Table {
            header,
            rows,
            numeric,
        }));
    }

    /// 绩效评价指标评分表: the 自评表's rows.
    fn indicator_table(&mut self) {
        let sh = &self.o.sheet;
        let dims = &sh.dimensions;
        self.caption("绩效评价指标评分表");
        let mut rows = Vec::new();
        let mut last: Option<(usize, usize)> = None;
        for i in &sh.indicators {
            let dim = if last.is_none_or(|(d, _)| d != i.position.0) {
                let d = &dims[i.position.0];
                format!("{}（{}）", d.name, points(d.weight))
            } else {
                String::new()
            };
            let group = if last != Some(i.position) {
                i.group.clone()
            } else {
                String::new()
            };
            last = Some(i.position);
            rows.push(vec![
                dim,
                group,
                format!("{} {}", i.id, i.name),
                plain(i.weight),
                target(i),
                i.actual.clone().unwrap_or_default(),
                i.score.map_or("不适用".into(), score_text),
                super::lost_reason(i).unwrap_or_default(),
            ]);
        }
        self.push(Block::Table(Table {
            header: [
                "一级指标",
                "二级指标",
                "三级指标",
                "分值",
                "年度指标值",
                "实际完成值",
                "得分",
                "扣分原因",
            ]
            .map(String::from)
            .to_vec(),
            rows,
            numeric: vec![3, 6],
        }));
    }

    /// 与上年比较, when last year's result was given.
    fn previous_year_table(&mut self) {
        let cmp = self.comparison;
        if let Some(c) = cmp {
            let (py, cy) = c.year_labels(Lang::Zh);
            self.caption("与上年比较");
            let mut rows: Vec<Vec<String>> = c
                .metrics
                .iter()
                .map(|(k, ch)| {
                    vec![
                        super::previous::metric_label(*k, Lang::Zh),
                        ch.previous_text(),
                        ch.current_text(),
                        ch.delta_text(Lang::Zh),
                    ]
                })
                .collect();
            rows.push(vec![
                "总分".into(),
                c.total.previous_text(),
                c.total.current_text(),
                c.total.delta_text(Lang::Zh),
            ]);
            rows.push(vec![
                "评价等级".into(),
                c.grade.0.clone().unwrap_or_else(|| "—".into()),
                c.grade.1.clone(),
                String::new(),
            ]);
            self.push(Block::Table(Table {
                header: vec!["项目".into(), py, cy, "变动".into()],
                rows,
                numeric: vec![1, 2, 3],
            }));
            for n in &c.notes {
                self.push(Block::Note(format!("提示：{}", n.text(Lang::Zh))));
            }
        }
    }

    fn analysis(&mut self) {
        self.section(3, "绩效评价指标分析");
        for (n, kind) in [
            DimensionKind::Decision,
            DimensionKind::Process,
            DimensionKind::Output,
            DimensionKind::Benefit,
        ]
        .into_iter()
        .enumerate()
        {
            self.sub(n, &format!("项目{}情况", kind.zh()));
            self.dimension_kind(kind);
        }
    }

    fn dimension_kind(&mut self, kind: DimensionKind) {
        let o = self.o;
        let dims: Vec<usize> = o
            .sheet
            .dimensions
            .iter()
            .enumerate()
            .filter(|(_, d)| d.kind == kind)
            .map(|(n, _)| n)
            .collect();
        if kind == DimensionKind::Process {
            let f = &o.funds;
            let mut text = format!(
                "项目全年预算数{}万元，实际到位资金{}万元",
                wan(f.adjusted_budget, o.wan_places),
                wan(f.allocated, o.wan_places)
            );
            if let Some(r) = f.arrival_rate() {
                text.push_str(&format!("，资金到位率{}", percent(r)));
            }
            text.push_str(&format!("；全年执行数{}万元", wan(f.spent, o.wan_places)));
            if let Some(r) = f.execution_rate() {
                text.push_str(&format!("，预算执行率{}", percent(r)));
            }
            text.push_str(&format!("，结余{}万元。", wan(f.balance(), o.wan_places)));
            if let Some(c) = self.comparison
                && let Some((_, ch)) = c.metrics.iter().find(|(k, _)| *k == Builtin::ExecutionRate)
                && let Some(prev) = ch.previous
            {
                let (py, _) = c.year_labels(Lang::Zh);
                text.push_str(&format!(
                    "上年（{py}）预算执行率{}，本年变动{}。",
                    percent(prev),
                    ch.delta_text(Lang::Zh)
                ));
            }
            self.push(Block::Paragraph(text));
        }
        if dims.is_empty() {
            self.push(Block::Paragraph(format!(
                "本次评价的指标体系未设{}类指标。",
                kind.zh()
            )));
        }
        for &d in &dims {
            let dim = &o.sheet.dimensions[d];
            let mut text = format!(
                "{}分值{}，得分{}，得分率{}。",
                dim_label(&dim.name),
                points(dim.weight),
                points(dim.score),
                if dim.weight.is_zero() {
                    "—".to_string()
                } else {
                    percent(dim.score / dim.weight)
                }
            );
            if let Some(c) = self.comparison
                && let Some((_, ch)) = c.dimensions.get(d)
                && let (Some(prev), Some(delta)) = (ch.previous, ch.delta())
            {
                text.push_str(&format!(
                    "上年得分{}，本年{}。",
                    points(prev),
                    change_words(delta, "分")
                ));
            }
            self.push(Block::Paragraph(text));
        }
        let key = format!("analysis.{}", kind.key());
        self.narrative(&key);
        for &d in &dims {
            self.dimension_table(d);
        }
    }

    fn dimension_table(&mut self, d: usize) {
        let o = self.o;
        let dim = &o.sheet.dimensions[d];
        let inds: Vec<&IndicatorScore> = o
            .sheet
            .indicators
            .iter()
            .filter(|i| i.position.0 == d)
            .collect();
        self.caption(&format!("{}得分情况", dim_label(&dim.name)));
        let cmp = self.comparison;
        let mut header: Vec<String> = [
            "二级指标",
            "三级指标",
            "分值",
            "年度指标值",
            "实际完成值",
            "得分",
        ]
        .map(String::from)
        .to_vec();
        if let Some(c) = cmp {
            let (py, _) = c.year_labels(Lang::Zh);
            header.push(format!("{py}完成值"));
            header.push(format!("{py}得分"));
            header.push("得分变动".into());
        }
        let mut last = None;
        let rows = inds
            .iter()
            .map(|i| {
                let group = if last != Some(i.position) {
                    i.group.clone()
                } else {
                    String::new()
                };
                last = Some(i.position);
                let mut row = vec![
                    group,
                    format!("{} {}", i.id, i.name),
                    plain(i.weight),
                    target(i),
                    i.actual.clone().unwrap_or_default(),
                    i.score.map_or("不适用".into(), score_text),
                ];
                if let Some(c) = cmp {
                    let ch = c.indicators.iter().find(|x| x.id == i.id);
                    let prev_actual = ch
                        .map(|x| match &x.actual {
                            Some(a) if a.previous.is_some() => a.previous_text(),
                            _ => x.actual_texts.0.clone().unwrap_or_else(|| "—".into()),
                        })
                        .unwrap_or_else(|| "—".into());
                    let empty = Change {
                        kind: Kind::Score,
                        previous: None,
                        current: None,
                    };
                    let score = ch.map_or(&empty, |x| &x.score);
                    row.push(prev_actual);
                    row.push(score.previous_text());
                    row.push(score.delta_text(Lang::Zh));
                }
                row
            })
            .collect();
        let mut numeric = vec![2, 5];
        if cmp.is_some() {
            numeric.extend([7, 8]);
        }
        self.push(Block::Table(Table {
            header,
            rows,
            numeric,
        }));
        let lost: Vec<String> = inds
            .iter()
            .filter(|i| i.lost() > Decimal::ZERO)
            .map(|i| {
                format!(
                    "{}（{}，分值{}）得{}，扣{}：{}",
                    i.name,
                    i.id,
                    points(i.weight),
                    points(i.score.unwrap_or_default()),
                    points(i.lost()),
                    super::lost_reason(i).unwrap_or_default()
                )
            })
            .collect();
        if lost.is_empty() {
            self.push(Block::Paragraph(format!(
                "{}均得满分。",
                dim_label(&dim.name)
            )));
        } else {
            self.push(Block::Paragraph(format!(
                "{}失分情况：",
                dim_label(&dim.name)
            )));
            self.push(Block::List(lost));
        }
        let na: Vec<String> = inds
            .iter()
            .filter(|i| i.score.is_none())
            .map(|i| {
                format!(
                    "{}（{}）不适用：{}",
                    i.name,
                    i.id,
                    i.reason.clone().unwrap_or_default()
                )
            })
            .collect();
        if !na.is_empty() {
            self.push(Block::List(na));
        }
        let warnings: Vec<String> = inds
            .iter()
            .flat_map(|i| {
                i.warnings
                    .iter()
                    .map(move |w| format!("{}（{}）{w}", i.name, i.id))
            })
            .collect();
        if !warnings.is_empty() {
            self.push(Block::List(warnings));
        }
    }

    fn lessons(&mut self) {
        let o = self.o;
        self.section(4, "主要经验及做法、存在的问题及原因分析");
        self.sub(0, "主要经验及做法");
        self.narrative("lessons.experience");
        self.sub(1, "存在的问题及原因分析");
        if !self.narrative("lessons.problems") {
            let lost: Vec<String> = o
                .sheet
                .indicators
                .iter()
                .filter(|i| i.lost() > Decimal::ZERO)
                .map(|i| {
                    format!(
                        "{}（扣{}）：{}",
                        i.name,
                        points(i.lost()),
                        super::lost_reason(i).unwrap_or_default()
                    )
                })
                .collect();
            if !lost.is_empty() {
                self.push(Block::Paragraph(
                    "本次评价的扣分事项（供分析问题参考）：".into(),
                ));
                self.push(Block::List(lost));
            }
        }
        self.section(5, "有关建议");
        self.narrative("lessons.suggestions");
        self.section(6, "其他需要说明的问题");
        self.narrative("other.notes");
        if !o.warnings.is_empty() {
            self.push(Block::Paragraph("数据提示：".into()));
            let items = o
                .warnings
                .iter()
                .map(|w| {
                    let file = w
                        .file
                        .file_name()
                        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
                    let message = w.message_in(crate::i18n::Lang::Zh);
                    match w.line {
                        Some(line) => format!("{file} 第 {line} 行：{message}"),
                        None => format!("{file}：{message}"),
                    }
                })
                .collect();
            self.push(Block::List(items));
        }
    }
}

/// 年度指标值 as the tables show it: the target, else the 评分标准.
fn target(i: &IndicatorScore) -> String {
    i.target
        .clone()
        .or_else(|| i.standard.clone())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::{project_noun, year_prefix};

    #[test]
    fn a_registered_name_keeps_its_year_and_its_项目_once() {
        // the title is year prefix + noun + 绩效评价报告
        let title = |name: &str| {
            format!(
                "{}{}绩效评价报告",
                year_prefix(name, 2023, "年"),
                project_noun(name)
            )
        };
        assert_eq!(title("法律援助"), "2023年法律援助项目绩效评价报告");
        // was 2023年2023年某某镇…工程项目…
        assert_eq!(
            title("2023年某某镇农村饮水安全巩固提升工程"),
            "2023年某某镇农村饮水安全巩固提升工程项目绩效评价报告"
        );
        // was …资金项目项目…
        assert_eq!(
            title("高标准农田建设资金项目"),
            "2023年高标准农田建设资金项目绩效评价报告"
        );
        // another year in the name is the name's own: this year is still said
        assert_eq!(year_prefix("2022年结转工程", 2023, "年度"), "2023年度");
    }
}
