//! Formulas of derived metrics (计算指标), e.g. `cases_civil + cases_criminal` or
//! `spent / cases_total`, evaluated in exact decimals.
//!
//! Grammar: numbers, metric names, `+ - * /`, parentheses, unary minus, and the functions
//! `min(a, b, …)`, `max(a, b, …)`, `abs(a)`. Nothing else: a scheme is data an officer edits,
//! not a program.

use rust_decimal::Decimal;
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expr {
    Number(Decimal),
    Metric(String),
    Neg(Box<Expr>),
    Binary(Op, Box<Expr>, Box<Expr>),
    Call(Func, Vec<Expr>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Add,
    Sub,
    Mul,
    Div,
}

impl Op {
    /// How tightly the operator binds: × and ÷ before + and −.
    fn binding(self) -> u8 {
        match self {
            Op::Add | Op::Sub => 1,
            Op::Mul | Op::Div => 2,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Func {
    Min,
    Max,
    Abs,
}

/// A syntax error, with the character position (0-based) where it was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub position: usize,
    pub message: String,
    /// The message in Chinese.
    pub zh: String,
}

impl ParseError {
    fn new(position: usize, message: impl Into<String>, zh: impl Into<String>) -> Self {
        ParseError {
            position,
            message: message.into(),
            zh: zh.into(),
        }
    }

    /// The error in Chinese, with its place (its `Display` is the English).
    pub fn zh_text(&self) -> String {
        format!("{}（第 {} 个字符处）", self.zh, self.position + 1)
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at character {})", self.message, self.position + 1)
    }
}

/// Why a formula could not be evaluated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EvalError<E> {
    /// A division by zero; `numerator / denominator` as written.
    ZeroDenominator { expression: String },
    /// The result does not fit in a decimal.
    Overflow,
    /// Looking up a metric failed.
    Lookup(E),
}

impl Expr {
    pub fn parse(text: &str) -> Result<Expr, ParseError> {
        let tokens = tokenize(text)?;
        // A chain `a + 0 + 0 …` parses without recursion but builds a tree as deep as it is
        // long, which evaluating, printing and dropping walk recursively.
        if let Some((at, _)) = tokens.get(MAX_TOKENS) {
            return Err(ParseError::new(
                *at,
                format!("the formula is too long: more than {MAX_TOKENS} numbers, names and signs"),
                format!("公式太长：数、名称和符号超过 {MAX_TOKENS} 个"),
            ));
        }
        let mut p = Parser {
            tokens,
            pos: 0,
            depth: 0,
        };
        let expr = p.expr()?;
        if let Some((at, tok)) = p.tokens.get(p.pos) {
            return Err(ParseError::new(
                *at,
                format!("unexpected {tok}"),
                format!("此处不应有{}", tok.zh()),
            ));
        }
        Ok(expr)
    }

    /// Every metric name the formula uses, in order of first appearance.
    pub fn metrics(&self) -> Vec<String> {
        let mut out = Vec::new();
        self.collect(&mut out);
        out
    }

    fn collect(&self, out: &mut Vec<String>) {
        match self {
            Expr::Number(_) => {}
            Expr::Metric(m) => {
                if !out.contains(m) {
                    out.push(m.clone());
                }
            }
            Expr::Neg(e) => e.collect(out),
            Expr::Binary(_, a, b) => {
                a.collect(out);
                b.collect(out);
            }
            Expr::Call(_, args) => args.iter().for_each(|a| a.collect(out)),
        }
    }

    /// Evaluate with `lookup` giving each metric's value. With `zero_gives_zero`, a division
    /// by zero yields 0; otherwise it is an error.
    pub fn eval<E>(
        &self,
        lookup: &mut dyn FnMut(&str) -> Result<Decimal, E>,
        zero_gives_zero: bool,
    ) -> Result<Decimal, EvalError<E>> {
        Ok(match self {
            Expr::Number(n) => *n,
            Expr::Metric(m) => lookup(m).map_err(EvalError::Lookup)?,
            Expr::Neg(e) => -e.eval(lookup, zero_gives_zero)?,
            Expr::Binary(op, a, b) => {
                let x = a.eval(lookup, zero_gives_zero)?;
                let y = b.eval(lookup, zero_gives_zero)?;
                match op {
                    Op::Add => x.checked_add(y).ok_or(EvalError::Overflow)?,
                    Op::Sub => x.checked_sub(y).ok_or(EvalError::Overflow)?,
                    Op::Mul => x.checked_mul(y).ok_or(EvalError::Overflow)?,
                    Op::Div if y.is_zero() => {
                        if zero_gives_zero {
                            Decimal::ZERO
                        } else {
                            // shown as Display shows it, a side in brackets where
                            // the tree needs them: `x / (y - 30)`, never `x / y - 30`
                            return Err(EvalError::ZeroDenominator {
                                expression: self.to_string(),
                            });
                        }
                    }
                    Op::Div => x.checked_div(y).ok_or(EvalError::Overflow)?,
                }
            }
            Expr::Call(f, args) => {
                let mut values = Vec::with_capacity(args.len());
                for a in args {
                    values.push(a.eval(lookup, zero_gives_zero)?);
                }
                match f {
                    Func::Min => values.into_iter().min().unwrap_or_default(),
                    Func::Max => values.into_iter().max().unwrap_or_default(),
                    Func::Abs => values.first().copied().unwrap_or_default().abs(),
                }
            }
        })
    }
}

impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expr::Number(n) => write!(f, "{n}"),
            Expr::Metric(m) => write!(f, "{m}"),
            Expr::Neg(e) if matches!(**e, Expr::Binary(..)) => write!(f, "-({e})"),
            Expr::Neg(e) => write!(f, "-{e}"),
            Expr::Binary(op, a, b) => {
                let sym = match op {
                    Op::Add => "+",
                    Op::Sub => "-",
                    Op::Mul => "*",
                    Op::Div => "/",
                };
                // Brackets only where the tree needs them (operators bind left to right, ×
                // and ÷ before + and −): `x / (y - 30)`, `a - (b + c)`, but `a + b + c`.
                // Brackets at every level put a chain of 65 signs 64 brackets deep, past
                // the parser's limit: the text shown did not read back as the formula.
                let side = |f: &mut fmt::Formatter<'_>, e: &Expr, wrap: bool| {
                    if wrap {
                        write!(f, "({e})")
                    } else {
                        write!(f, "{e}")
                    }
                };
                let binds = |e: &Expr| match e {
                    Expr::Binary(o, ..) => Some(o.binding()),
                    _ => None,
                };
                side(f, a, binds(a).is_some_and(|p| p < op.binding()))?;
                write!(f, " {sym} ")?;
                side(f, b, binds(b).is_some_and(|p| p <= op.binding()))
            }
            Expr::Call(func, args) => {
                let name = match func {
                    Func::Min => "min",
                    Func::Max => "max",
                    Func::Abs => "abs",
                };
                let list: Vec<String> = args.iter().map(ToString::to_string).collect();
                write!(f, "{name}({})", list.join(", "))
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Number(Decimal),
    Name(String),
    Sym(char),
}

impl Token {
    /// The token named in Chinese.
    fn zh(&self) -> String {
        match self {
            Token::Number(n) => format!("数字 {n}"),
            Token::Name(n) => format!("名称“{n}”"),
            Token::Sym(c) => format!("“{c}”"),
        }
    }
}

impl fmt::Display for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Token::Number(n) => write!(f, "number {n}"),
            Token::Name(n) => write!(f, "name \"{n}\""),
            Token::Sym(c) => write!(f, "\"{c}\""),
        }
    }
}

fn tokenize(text: &str) -> Result<Vec<(usize, Token)>, ParseError> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c.is_ascii_digit() || c == '.' {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
                i += 1;
            }
            let s: String = chars[start..i].iter().collect();
            let n = crate::decimal::parse_plain(&s).ok_or_else(|| {
                ParseError::new(
                    start,
                    format!("\"{s}\" is not a number"),
                    format!("“{s}”不是数字"),
                )
            })?;
            out.push((start, Token::Number(n)));
        } else if c.is_ascii_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            out.push((start, Token::Name(chars[start..i].iter().collect())));
        } else if "+-*/(),".contains(c) {
            out.push((i, Token::Sym(c)));
            i += 1;
        } else {
            let (hint, hint_zh) = match c {
                '×' => (", write * for ×", "，乘号请写 *"),
                '÷' => (", write / for ÷", "，除号请写 /"),
                '（' | '）' => (", write ASCII parentheses ( )", "，括号请用半角 ( )"),
                _ if !c.is_ascii() => (
                    ", metric names are ASCII ids (see [[metric]] id)",
                    "，数据名称只用英文字母、数字和下划线（见 [[metric]] 的 id）",
                ),
                _ => ("", ""),
            };
            return Err(ParseError::new(
                i,
                format!("unexpected character \"{c}\"{hint}"),
                format!("不应有字符“{c}”{hint_zh}"),
            ));
        }
    }
    Ok(out)
}

struct Parser {
    tokens: Vec<(usize, Token)>,
    pos: usize,
    depth: usize,
}

/// Deepest nesting of parentheses, signs and calls accepted: far beyond any real formula,
/// well within the stack.
const MAX_DEPTH: usize = 64;

/// Most tokens in a formula: a real one has a few dozen. A chain `a + b + …` is a tree as
/// deep as it has signs, walked recursively: 256 tokens (at most 128 levels) stays within
/// a 2 MiB thread stack, unoptimised (1,000 did not).
pub const MAX_TOKENS: usize = 256;

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.pos).map(|(_, t)| t)
    }

    fn here(&self) -> usize {
        self.tokens
            .get(self.pos)
            .or(self.tokens.last())
            .map_or(0, |(at, _)| *at)
    }

    fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(&Token::Sym(c)) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn expr(&mut self) -> Result<Expr, ParseError> {
        let mut left = self.term()?;
        loop {
            let op = if self.eat('+') {
                Op::Add
            } else if self.eat('-') {
                Op::Sub
            } else {
                return Ok(left);
            };
            let right = self.term()?;
            left = Expr::Binary(op, Box::new(left), Box::new(right));
        }
    }

    fn term(&mut self) -> Result<Expr, ParseError> {
        let mut left = self.unary()?;
        loop {
            let op = if self.eat('*') {
                Op::Mul
            } else if self.eat('/') {
                Op::Div
            } else {
                return Ok(left);
            };
            let right = self.unary()?;
            left = Expr::Binary(op, Box::new(left), Box::new(right));
        }
    }

    fn unary(&mut self) -> Result<Expr, ParseError> {
        self.depth += 1;
        let result = self.unary_inner();
        self.depth -= 1;
        result
    }

    fn unary_inner(&mut self) -> Result<Expr, ParseError> {
        if self.depth > MAX_DEPTH {
            return Err(ParseError::new(
                self.here(),
                format!("the formula nests deeper than {MAX_DEPTH} levels"),
                format!("公式嵌套超过 {MAX_DEPTH} 层"),
            ));
        }
        if self.eat('-') {
            return Ok(Expr::Neg(Box::new(self.unary()?)));
        }
        if self.eat('+') {
            return self.unary();
        }
        self.atom()
    }

    fn atom(&mut self) -> Result<Expr, ParseError> {
        let at = self.here();
        let Some((_, tok)) = self.tokens.get(self.pos).cloned() else {
            return Err(ParseError::new(
                at,
                "the formula ends too early: a number, a metric or \"(\" is missing",
                "公式提前结束：缺少数字、数据名称或“(”",
            ));
        };
        self.pos += 1;
        match tok {
            Token::Number(n) => Ok(Expr::Number(n)),
            Token::Sym('(') => {
                let e = self.expr()?;
                if !self.eat(')') {
                    return Err(ParseError::new(self.here(), "missing \")\"", "缺少“)”"));
                }
                Ok(e)
            }
            Token::Name(name) if self.peek() == Some(&Token::Sym('(')) => {
                let func = match name.as_str() {
                    "min" => Func::Min,
                    "max" => Func::Max,
                    "abs" => Func::Abs,
                    _ => {
                        return Err(ParseError::new(
                            at,
                            format!("unknown function \"{name}\"; known: min, max, abs"),
                            format!("没有函数“{name}”；可用的函数：min、max、abs"),
                        ));
                    }
                };
                self.pos += 1;
                let mut args = vec![self.expr()?];
                while self.eat(',') {
                    args.push(self.expr()?);
                }
                if !self.eat(')') {
                    return Err(ParseError::new(
                        self.here(),
                        "missing \")\" after the function's arguments",
                        "函数的参数之后缺少“)”",
                    ));
                }
                if func == Func::Abs && args.len() != 1 {
                    return Err(ParseError::new(
                        at,
                        "abs takes one argument",
                        "abs 只取一个参数",
                    ));
                }
                Ok(Expr::Call(func, args))
            }
            Token::Name(name) => Ok(Expr::Metric(name)),
            other => Err(ParseError::new(
                at,
                format!("unexpected {other}"),
                format!("此处不应有{}", other.zh()),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn eval(formula: &str, vars: &[(&str, &str)]) -> Result<Decimal, EvalError<String>> {
        let map: HashMap<&str, Decimal> = vars.iter().map(|(k, v)| (*k, d(v))).collect();
        Expr::parse(formula).unwrap().eval(
            &mut |name| map.get(name).copied().ok_or_else(|| name.to_string()),
            false,
        )
    }

    #[test]
    fn sums_and_divides_exactly() {
        // 105 + 30 = 135
        assert_eq!(
            eval(
                "cases_civil + cases_criminal",
                &[("cases_civil", "105"), ("cases_criminal", "30")]
            ),
            Ok(d("135"))
        );
        // 0.1 + 0.2 = 0.3 exactly (no binary floating point)
        assert_eq!(eval("0.1 + 0.2", &[]), Ok(d("0.3")));
        // 67900 / 135 = 502.962962…; check to 6 places: 502.962963
        let v = eval("spent / cases", &[("spent", "67900"), ("cases", "135")]).unwrap();
        assert_eq!(crate::decimal::round_half_up(v, 6), d("502.962963"));
        // precedence: 1 + 2 * 3 = 7; (1 + 2) * 3 = 9; -2 * 3 = -6; 10 - 4 - 3 = 3 (left to right)
        assert_eq!(eval("1 + 2 * 3", &[]), Ok(d("7")));
        assert_eq!(eval("(1 + 2) * 3", &[]), Ok(d("9")));
        assert_eq!(eval("-2 * 3", &[]), Ok(d("-6")));
        assert_eq!(eval("10 - 4 - 3", &[]), Ok(d("3")));
        // 1 - 0 / 135 → 1; min(1.2, 1) = 1; max(3, 5) = 5; abs(-4) = 4
        assert_eq!(eval("min(1.2, 1) + max(3, 5) + abs(-4)", &[]), Ok(d("10")));
    }

    #[test]
    fn zero_denominator_is_explicit() {
        assert_eq!(
            eval("spent / cases", &[("spent", "1"), ("cases", "0")]),
            Err(EvalError::ZeroDenominator {
                expression: "spent / cases".into()
            })
        );
        // the denominator keeps its brackets: 30 − 30 = 0 is what divides
        assert_eq!(
            eval("x / (y - 30)", &[("x", "1"), ("y", "30")]),
            Err(EvalError::ZeroDenominator {
                expression: "x / (y - 30)".into()
            })
        );
        let e = Expr::parse("spent / cases").unwrap();
        let r: Result<Decimal, EvalError<()>> = e.eval(
            &mut |n| Ok(if n == "spent" { d("5") } else { Decimal::ZERO }),
            true,
        );
        assert_eq!(r, Ok(Decimal::ZERO));
    }

    #[test]
    fn lists_metrics_and_reports_syntax_errors_with_position() {
        assert_eq!(Expr::parse("a + b * a").unwrap().metrics(), vec!["a", "b"]);
        let e = Expr::parse("a + ").unwrap_err();
        assert!(e.message.contains("ends too early"), "{e}");
        let e = Expr::parse("a × b").unwrap_err();
        assert_eq!(e.position, 2);
        assert!(e.message.contains("write *"));
        assert!(
            Expr::parse("(a + b")
                .unwrap_err()
                .message
                .contains("missing \")\"")
        );
        assert!(
            Expr::parse("sqrt(a)")
                .unwrap_err()
                .message
                .contains("unknown function")
        );
        assert!(Expr::parse("a b").is_err());
        assert!(Expr::parse("1.2.3").is_err());
        // -(1 + 2) keeps its parentheses when shown: -(1 + 2) = -3, not -1 + 2 = 1
        assert_eq!(Expr::parse("-(1 + 2)").unwrap().to_string(), "-(1 + 2)");
        // brackets where the tree needs them, and only there
        for (written, shown) in [
            ("(a + b) + c", "a + b + c"),
            ("a + (b + c)", "a + (b + c)"),
            ("a - (b - c)", "a - (b - c)"),
            ("(a * b) / c", "a * b / c"),
            ("a / (b * c)", "a / (b * c)"),
            ("(a + b) * c", "(a + b) * c"),
            ("a + (b * c)", "a + b * c"),
            ("x / (y - 30)", "x / (y - 30)"),
            ("-a * b", "-a * b"),
            ("a - -b", "a - -b"),
        ] {
            assert_eq!(Expr::parse(written).unwrap().to_string(), shown);
        }
        // nesting is bounded instead of exhausting the stack
        let deep = format!("{}1{}", "(".repeat(100), ")".repeat(100));
        assert!(
            Expr::parse(&deep)
                .unwrap_err()
                .message
                .contains("nests deeper")
        );
        assert!(Expr::parse(&format!("{}1{}", "(".repeat(60), ")".repeat(60))).is_ok());
        // so is length: `a + 0 + 0 …` of 100,001 terms used to overflow the stack when
        // evaluated; 128 terms and 127 signs = 255 tokens still parse and evaluate (on a
        // test thread's 2 MiB stack)
        let chain = |n: usize| format!("a{}", " + 0".repeat(n));
        let err = Expr::parse(&chain(100_000)).unwrap_err();
        assert!(err.message.contains("too long"), "{err}");
        // the 257th token is the one reported: after "a" (token 0, character 0) each
        // " + 0" adds a "+" (odd tokens) and a "0" (even tokens); token 2k is the k-th "0",
        // at 0-based character 4k: token 256 → 4 × 128 = 512
        assert_eq!(err.position, 512);
        assert!(Expr::parse(&chain(128)).is_err());
        let ok = Expr::parse(&chain(127)).unwrap();
        assert_eq!(
            ok.eval(&mut |_| Ok::<_, ()>(Decimal::ONE), false),
            Ok(Decimal::ONE)
        );
    }
}
