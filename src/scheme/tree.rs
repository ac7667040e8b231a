//! The scheme as a tree: dimensions (一级指标), groups (二级指标) and indicators (三级指标).

use rust_decimal::Decimal;
use std::ops::Range;
use std::path::PathBuf;

use super::{DerivedMetric, Grade, Scoring, Tiers};
use crate::builtin::Builtin;
use crate::diag::Problem;

/// The four first-level dimensions of 财预〔2020〕10号 Annex 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DimensionKind {
    /// 决策
    Decision,
    /// 过程
    Process,
    /// 产出
    Output,
    /// 效益
    Benefit,
}

impl DimensionKind {
    pub fn parse(text: &str) -> Option<Self> {
        Some(match text.trim() {
            "decision" | "决策" => DimensionKind::Decision,
            "process" | "过程" => DimensionKind::Process,
            "output" | "产出" => DimensionKind::Output,
            "benefit" | "效益" => DimensionKind::Benefit,
            _ => return None,
        })
    }

    pub fn key(self) -> &'static str {
        match self {
            DimensionKind::Decision => "decision",
            DimensionKind::Process => "process",
            DimensionKind::Output => "output",
            DimensionKind::Benefit => "benefit",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            DimensionKind::Decision => "决策",
            DimensionKind::Process => "过程",
            DimensionKind::Output => "产出",
            DimensionKind::Benefit => "效益",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            DimensionKind::Decision => "Decision",
            DimensionKind::Process => "Process",
            DimensionKind::Output => "Output",
            DimensionKind::Benefit => "Benefit",
        }
    }
}

/// Which official family a scheme follows (for guidance; scoring is the same).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Family {
    /// 项目支出绩效自评表 (预算执行率 10, 产出 50, 效益 30, 满意度 10).
    SelfEvaluation,
    /// 项目支出绩效评价指标体系框架 (决策/过程/产出/效益).
    Framework,
    Custom,
}

/// A third-level indicator (三级指标).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Indicator {
    pub id: String,
    pub name: String,
    pub weight: Decimal,
    /// 年度指标值 as written in the scheme.
    pub target_text: Option<String>,
    pub scoring: Scoring,
    pub standard: Option<String>,
    /// Over-completion warning threshold as a ratio B/A (1.3 = 130%).
    pub over_completion: Option<Decimal>,
    pub line: usize,
    /// Byte span of the id in the scheme file.
    pub span: Range<usize>,
}

impl Indicator {
    /// The built-in metric it scores, if its metric is one.
    pub fn builtin(&self) -> Option<Builtin> {
        match &self.scoring {
            Scoring::Quantitative { metric, .. } => Builtin::parse(metric),
            _ => None,
        }
    }

    /// Whether this is a 预算执行率 indicator: its metric is `execution_rate` or
    /// `execution_rate_allocated`. The one answer every form and check uses; a metric of
    /// one's own that only starts with `execution_rate`, or an indicator merely named
    /// 预算执行率, is not one.
    pub fn is_execution_rate(&self) -> bool {
        self.builtin().is_some_and(Builtin::is_execution_rate)
    }
}

/// A second-level group (二级指标).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub name: String,
    pub weight: Decimal,
    pub indicators: Vec<Indicator>,
    /// Byte span of the weight in the scheme file.
    pub span: Range<usize>,
}

/// A first-level dimension (一级指标).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dimension {
    pub kind: DimensionKind,
    pub name: String,
    pub weight: Decimal,
    pub groups: Vec<Group>,
    /// Byte span of the weight in the scheme file.
    pub span: Range<usize>,
}

/// A loaded, validated scheme.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scheme {
    pub path: PathBuf,
    pub id: String,
    pub title: String,
    pub family: Family,
    pub total: Decimal,
    /// Highest band first.
    pub grades: Vec<Grade>,
    pub tiers: Tiers,
    pub metrics: Vec<DerivedMetric>,
    pub dimensions: Vec<Dimension>,
    /// Warnings about the scheme (codes from JX1000): it loads and scores, but a reviewer
    /// should look. `jixiao check` reports them.
    pub warnings: Vec<Problem>,
}

impl Scheme {
    pub fn indicators(&self) -> impl Iterator<Item = (&Dimension, &Group, &Indicator)> {
        self.dimensions.iter().flat_map(|d| {
            d.groups
                .iter()
                .flat_map(move |g| g.indicators.iter().map(move |i| (d, g, i)))
        })
    }

    pub fn indicator(&self, id: &str) -> Option<&Indicator> {
        self.indicators().map(|(_, _, i)| i).find(|i| i.id == id)
    }

    /// The 预算执行率 indicator the 自评表's funds block is scored by: the first scoring
    /// `execution_rate` (the 自评表's own definition), else the first scoring
    /// `execution_rate_allocated`.
    pub fn execution_indicator(&self) -> Option<&Indicator> {
        let of = |b: Builtin| {
            self.indicators()
                .map(|(_, _, i)| i)
                .find(|i| i.builtin() == Some(b))
        };
        of(Builtin::ExecutionRate).or_else(|| of(Builtin::ExecutionRateAllocated))
    }

    /// The grade (评价等级) of a total.
    pub fn grade(&self, total: Decimal) -> &str {
        self.grades
            .iter()
            .find(|g| total >= g.min)
            .map_or("", |g| g.label.as_str())
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::builtin::Builtin;
    use crate::scheme::parse;
    use crate::scheme::testing::scheme;

    /// The 预算执行率 indicator is told by its metric alone: not by a name of one's own
    /// that starts like it, nor by the indicator's name.
    #[test]
    fn the_execution_rate_indicator_is_the_one_scoring_either_execution_rate() {
        let indicator = |id: &str, name: &str, metric: &str| {
            format!(
                "    [[dimension.group.indicator]]\n    id = \"{id}\"\n    name = \"{name}\"\n    \
                 weight = 25\n    metric = \"{metric}\"\n    target = \">= 90%\"\n"
            )
        };
        let src = scheme(&format!(
            "[[metric]]\nid = \"execution_rate_q4\"\nformula = \"spent / adjusted_budget\"\nunit = \"%\"\n\
             [[dimension]]\nkind = \"process\"\nweight = 100\n  [[dimension.group]]\n  name = \"g\"\n  \
             weight = 100\n{}{}{}{}",
            indicator("Q", "预算执行率", "execution_rate_q4"),
            indicator("R", "资金到位率", "arrival_rate"),
            indicator("F", "执行率", "execution_rate_allocated"),
            indicator("E", "支出进度", "execution_rate"),
        ));
        let s = parse(Path::new("s.toml"), &src).unwrap();
        let execution: Vec<&str> = s
            .indicators()
            .filter(|(_, _, i)| i.is_execution_rate())
            .map(|(_, _, i)| i.id.as_str())
            .collect();
        assert_eq!(execution, ["F", "E"]);
        assert_eq!(
            s.indicator("R").unwrap().builtin(),
            Some(Builtin::ArrivalRate)
        );
        assert_eq!(s.indicator("Q").unwrap().builtin(), None);
        // The funds block takes the 自评表's definition first, wherever it stands.
        assert_eq!(s.execution_indicator().map(|i| i.id.as_str()), Some("E"));
        // Without one, the framework's definition.
        let framework = src.replace("metric = \"execution_rate\"", "metric = \"arrival_rate\"");
        let s = parse(Path::new("s.toml"), &framework).unwrap();
        assert_eq!(s.execution_indicator().map(|i| i.id.as_str()), Some("F"));
    }
}
