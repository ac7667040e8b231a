//! The metrics an indicator reads, each with its value and where it came from: a row of
//! outputs.csv, the budget or ledger rows summed, or a formula with its terms substituted.

use rust_decimal::Decimal;

use super::{Explainer, exact, shown};
use crate::builtin::Builtin;
use crate::decimal::{grouped, percent, plain};
use crate::formula::{Expr, Func, Op};
use crate::i18n::Lang;
use crate::metrics::{MetricValue, Source};
use crate::scoring::rules;
use crate::units::Unit;

impl<'a> Explainer<'a> {
    /// A metric's value and where it came from, recursively for formulas.
    pub(super) fn metric(&mut self, name: &str, depth: usize) {
        let value = match self.metrics.get(name) {
            Ok(v) => v,
            Err(_) => {
                self.line(depth, format!("{name}: —"));
                return;
            }
        };
        let label = Builtin::parse(name)
            .map(|b| b.label(self.lang).to_string())
            .or_else(|| self.definition(name).and_then(|d| d.name.clone()))
            .filter(|l| l != name)
            .map(|l| format!(" {l}"))
            .unwrap_or_default();
        let head = format!("{name}{label} = {}", shown(value.value, &value.unit));
        if !self.explained.insert(name.to_string()) {
            let above = self.t("（见上）", " (see above)");
            self.line(depth, format!("{head}{above}"));
            return;
        }
        match &value.source {
            Source::Output { file, line } => {
                let note = self
                    .o
                    .sources
                    .outputs
                    .iter()
                    .find(|r| r.metric == name)
                    .and_then(|r| r.note.clone())
                    .map(|n| format!("{}{n}{}", self.open(), self.close()))
                    .unwrap_or_default();
                let at = self.at(file, *line);
                let c = self.colon();
                self.line(depth, format!("{head}{c}{at}{note}"));
            }
            Source::Builtin => self.builtin(name, head, depth),
            Source::Derived { formula } => {
                let def_at = self
                    .definition(name)
                    .map(|d| self.at(&d.file, d.formula_line))
                    .unwrap_or_default();
                let (c, op, cl) = (self.colon(), self.open(), self.close());
                self.line(depth, format!("{head}{c}{formula}{op}{def_at}{cl}"));
                let Ok(expr) = Expr::parse(formula) else {
                    return;
                };
                for m in expr.metrics() {
                    self.metric(&m, depth + 1);
                }
                let mut values = |m: &str| {
                    self.metrics
                        .get(m)
                        .map(|v| in_formula(&v))
                        .unwrap_or_else(|_| m.to_string())
                };
                let substituted = substitute(&expr, &mut values);
                self.line(
                    depth + 1,
                    format!(
                        "{name} = {substituted} = {}{}",
                        exact(value.value),
                        if value.unit == Unit::Percent {
                            format!(" = {}", percent(value.value))
                        } else {
                            String::new()
                        }
                    ),
                );
            }
        }
    }

    fn definition(&self, name: &str) -> Option<&'a crate::scheme::DerivedMetric> {
        let o = self.o;
        o.scheme
            .metrics
            .iter()
            .chain(&o.sources.metrics)
            .find(|m| m.id == name)
    }

    fn builtin(&mut self, name: &str, head: String, depth: usize) {
        let o = self.o;
        let budget_file = o.sources.paths.budget.clone();
        let spending_file = o.sources.paths.spending.clone();
        let Some(b) = Builtin::parse(name) else {
            self.line(depth, head);
            return;
        };
        match b {
            Builtin::Spent => {
                let rows = &o.sources.spending;
                let text = match self.lang {
                    Lang::Zh => format!(
                        "{head}：{} 中本项目 {} 行之和（负数为冲销）",
                        spending_file.display(),
                        rows.len()
                    ),
                    Lang::En => format!(
                        "{head}: the sum of the project's {} rows of {} (negative = reversal)",
                        rows.len(),
                        spending_file.display()
                    ),
                };
                self.line(depth, text);
                let width = rows
                    .iter()
                    .map(|r| grouped(r.amount).len())
                    .max()
                    .unwrap_or(0);
                let line_width = rows
                    .iter()
                    .map(|r| r.line.to_string().len())
                    .max()
                    .unwrap_or(0);
                for r in rows {
                    let what = [r.voucher.as_deref(), r.description.as_deref()]
                        .into_iter()
                        .flatten()
                        .collect::<Vec<_>>()
                        .join(" ");
                    let at = match self.lang {
                        Lang::Zh => format!("第 {:>line_width$} 行", r.line),
                        Lang::En => format!("line {:>line_width$}", r.line),
                    };
                    self.line(
                        depth + 1,
                        format!("{at}  {}  {:>width$}  {what}", r.date, grouped(r.amount))
                            .trim_end(),
                    );
                }
                let sum: Decimal = rows.iter().map(|r| r.amount).sum();
                self.line(
                    depth + 1,
                    format!("{}{}", self.t("合计 ", "total "), grouped(sum)),
                );
            }
            Builtin::InitialBudget | Builtin::AdjustedBudget | Builtin::Allocated => {
                let rows = &o.sources.budget;
                let pick = |r: &crate::records::BudgetRow| match b {
                    Builtin::InitialBudget => r.initial_budget,
                    Builtin::AdjustedBudget => r.adjusted_budget,
                    _ => r.allocated,
                };
                let parts: Vec<String> = rows
                    .iter()
                    .map(|r| {
                        let source = r.source.as_deref().unwrap_or("当年财政拨款");
                        match self.lang {
                            Lang::Zh => {
                                format!("第 {} 行 {source} {}", r.line, grouped(pick(r)))
                            }
                            Lang::En => {
                                format!("line {} {source} {}", r.line, grouped(pick(r)))
                            }
                        }
                    })
                    .collect();
                self.line(
                    depth,
                    format!(
                        "{head}{}{} {}",
                        self.colon(),
                        budget_file.display(),
                        parts.join(self.t("；", "; "))
                    ),
                );
                if rows.len() > 1 {
                    let terms: Vec<String> = rows.iter().map(|r| grouped(pick(r))).collect();
                    let sum: Decimal = rows.iter().map(pick).sum();
                    self.line(
                        depth + 1,
                        format!("{} = {}", terms.join(" + "), grouped(sum)),
                    );
                }
            }
            Builtin::Balance => {
                let (allocated, spent) = (Builtin::Allocated.name(), Builtin::Spent.name());
                self.line(depth, format!("{head} = {allocated} − {spent}"));
                self.metric(allocated, depth + 1);
                self.metric(spent, depth + 1);
                let f = &o.funds;
                self.line(
                    depth + 1,
                    format!(
                        "{} − {} = {}",
                        grouped(f.allocated),
                        grouped(f.spent),
                        grouped(f.balance())
                    ),
                );
            }
            Builtin::ExecutionRate | Builtin::ExecutionRateAllocated | Builtin::ArrivalRate => {
                let Some((num, den)) = b.ratio() else { return };
                let (num, den) = (num.name(), den.name());
                self.line(depth, format!("{head} = {num} / {den}"));
                self.metric(num, depth + 1);
                self.metric(den, depth + 1);
                let (Ok(n), Ok(d), Ok(v)) = (
                    self.metrics.get(num),
                    self.metrics.get(den),
                    self.metrics.get(name),
                ) else {
                    return;
                };
                let quotient = rules::ratio(n.value, d.value).unwrap_or_default();
                self.line(
                    depth + 1,
                    format!(
                        "{} / {} = {} → {}{}",
                        grouped(n.value),
                        grouped(d.value),
                        exact(quotient),
                        percent(v.value),
                        self.t(
                            "（比率按百分数四舍五入保留两位小数，并以此计分）",
                            " (rates are rounded half away from zero to 0.01% and scored as shown)"
                        )
                    ),
                );
            }
        }
    }
}

/// A value inside a formula: money with separators, everything else as the base number.
fn in_formula(v: &MetricValue) -> String {
    match v.unit {
        Unit::Yuan | Unit::Wan => grouped(v.value),
        _ => exact(v.value),
    }
}

/// A formula with each metric replaced by its value, parenthesised as the formula's own
/// `Display` does.
fn substitute(e: &Expr, value: &mut dyn FnMut(&str) -> String) -> String {
    match e {
        Expr::Number(n) => plain(*n),
        Expr::Metric(m) => value(m),
        Expr::Neg(inner) if matches!(**inner, Expr::Binary(..)) => {
            format!("-({})", substitute(inner, value))
        }
        Expr::Neg(inner) => format!("-{}", substitute(inner, value)),
        Expr::Binary(op, a, b) => {
            let sym = match op {
                Op::Add => "+",
                Op::Sub => "−",
                Op::Mul => "×",
                Op::Div => "/",
            };
            let mut side = |e: &Expr| {
                let s = substitute(e, value);
                if matches!(e, Expr::Binary(..)) {
                    format!("({s})")
                } else {
                    s
                }
            };
            let left = side(a);
            let right = side(b);
            format!("{left} {sym} {right}")
        }
        Expr::Call(f, args) => {
            let name = match f {
                Func::Min => "min",
                Func::Max => "max",
                Func::Abs => "abs",
            };
            let list: Vec<String> = args.iter().map(|a| substitute(a, value)).collect();
            format!("{name}({})", list.join(", "))
        }
    }
}
