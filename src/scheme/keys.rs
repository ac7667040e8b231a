//! Unknown and missing keys, all of them in one pass, found by walking the parsed TOML
//! document against the format's JSON Schema (the one `jixiao schema` prints), so the key
//! lists have a single source: the serde model in `raw.rs`.

use serde_json::Value;
use std::path::Path;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::diag::{Code, Lines, Locate, Problem, Problems};

/// A TOML error (syntax or serde) as a problem with its span.
pub(crate) fn toml_problem(
    path: &Path,
    source: &(impl Locate + ?Sized),
    e: &toml::de::Error,
    code: Code,
) -> Problem {
    // The parser's own words stay as they are; the Chinese frame says what kind of error.
    let message = e.message().trim().to_string();
    let mut p = Problem::error(path, message.clone())
        .zh(toml_message_zh(&message))
        .code(code);
    if let Some(span) = e.span() {
        p = p.span(source, span);
    }
    p
}

/// The parser's message in Chinese: the forms serde writes (unknown or missing key, wrong
/// type, unknown choice, a key given twice) said in Chinese with the names kept; any other
/// (a syntax error) in a Chinese frame with the parser's own words.
pub(crate) fn toml_message_zh(message: &str) -> String {
    let names = |list: &str| {
        list.split(", ")
            .flat_map(|n| n.split(" or "))
            .map(|n| n.trim_start_matches("or ").trim_matches('`'))
            .filter(|n| !n.is_empty())
            .collect::<Vec<_>>()
            .join("、")
    };
    let quoted = |text: &str| text.trim_matches('`').to_string();
    if let Some(zh) = crate::scheme::raw::number_message_zh(message) {
        return zh;
    }
    if let Some(rest) = message.strip_prefix("unknown field ") {
        return match rest.split_once(", expected ") {
            Some((key, list)) => {
                let list = list.strip_prefix("one of ").unwrap_or(list);
                format!("未知的键“{}”；可用的键：{}", quoted(key), names(list))
            }
            None => format!(
                "未知的键“{}”",
                quoted(rest.trim_end_matches(", there are no fields"))
            ),
        };
    }
    if let Some(rest) = message.strip_prefix("unknown variant ") {
        return match rest.split_once(", expected ") {
            Some((v, list)) => {
                let list = list.strip_prefix("one of ").unwrap_or(list);
                format!("未知的取值“{}”；可选：{}", quoted(v), names(list))
            }
            None => format!("未知的取值“{}”", quoted(rest)),
        };
    }
    if let Some(key) = message.strip_prefix("missing field ") {
        return format!("缺少键“{}”", quoted(key));
    }
    if let Some(key) = message.strip_prefix("duplicate key ") {
        return format!("键“{}”写了两次", quoted(key));
    }
    for (prefix, what) in [
        ("invalid type: ", "类型不对"),
        ("invalid value: ", "取值无效"),
    ] {
        if let Some((found, expected)) = message
            .strip_prefix(prefix)
            .and_then(|r| r.split_once(", expected "))
        {
            return format!(
                "{what}：所填为{}，应为{}",
                type_zh(found),
                type_zh(expected)
            );
        }
    }
    format!("TOML 格式错误：{message}")
}

/// serde's names of TOML types in Chinese (`string "x"` → 字符串 "x"); other words kept.
fn type_zh(text: &str) -> String {
    // Rust's number types, as serde names them.
    let ints = [
        "u8", "u16", "u32", "u64", "usize", "i8", "i16", "i32", "i64", "isize",
    ];
    if ints.contains(&text) {
        return "整数".to_string();
    }
    if text == "f32" || text == "f64" {
        return "数字".to_string();
    }
    if text.starts_with("a number such as") {
        return "数字，如 10、2.5 或 \"2.5\"".to_string();
    }
    const WORDS: [(&str, &str); 12] = [
        ("a string", "字符串"),
        ("string", "字符串"),
        ("an integer", "整数"),
        ("integer", "整数"),
        ("a float", "小数"),
        ("floating point", "小数"),
        ("a boolean", "true 或 false"),
        ("boolean", "true 或 false"),
        ("a sequence", "数组"),
        ("sequence", "数组"),
        ("a map", "表"),
        ("map", "表"),
    ];
    for (en, zh) in WORDS {
        if text == en {
            return zh.to_string();
        }
        if let Some(rest) = text.strip_prefix(en).and_then(|r| r.strip_prefix(' ')) {
            return format!("{zh} {rest}");
        }
    }
    text.to_string()
}

/// Parse a TOML document, reporting every syntax error the parser recovers from.
pub(crate) fn parse_document<'s>(
    path: &Path,
    source: &'s str,
) -> Result<Spanned<DeTable<'s>>, Problems> {
    let (doc, errors) = DeTable::parse_recoverable(source);
    if errors.is_empty() {
        return Ok(doc);
    }
    let mut problems = Problems::default();
    let lines = Lines::new(source);
    let mut lines_with_errors = std::collections::BTreeSet::new();
    for e in &errors {
        let p = toml_problem(path, &lines, e, Code::TomlSyntax);
        // After an error the parser resumes mid-line; what it then finds on the same line
        // is an echo of the first error.
        if p.line.is_none_or(|line| lines_with_errors.insert(line)) {
            problems.push(p);
        }
    }
    if problems.has_errors() {
        Err(problems)
    } else {
        Ok(doc)
    }
}

/// Report every unknown key (with a did-you-mean) and every missing required key. Returns
/// whether every required key is present, i.e. whether the document can be read further.
pub(crate) fn check(
    path: &Path,
    source: &(impl Locate + ?Sized),
    doc: &Spanned<DeTable<'_>>,
    schema: &Value,
    problems: &mut Problems,
) -> bool {
    let walker = Walker {
        path,
        source,
        defs: schema.get("$defs"),
        complete: std::cell::Cell::new(true),
    };
    walker.table(doc.get_ref(), doc.span(), schema, "", problems);
    walker.complete.get()
}

struct Walker<'a, S: Locate + ?Sized> {
    path: &'a Path,
    source: &'a S,
    defs: Option<&'a Value>,
    /// Cleared when a required key (or a rule's kind) is missing or unknown.
    complete: std::cell::Cell<bool>,
}

impl<'a, S: Locate + ?Sized> Walker<'a, S> {
    /// Follow `$ref`s and pick the non-null branch of `anyOf`.
    fn resolve(&self, mut node: &'a Value) -> &'a Value {
        for _ in 0..16 {
            if let Some(r) = node.get("$ref").and_then(Value::as_str) {
                let name = r.rsplit('/').next().unwrap_or("");
                match self.defs.and_then(|d| d.get(name)) {
                    Some(n) => node = n,
                    None => return node,
                }
            } else if let Some(branches) = node.get("anyOf").and_then(Value::as_array) {
                match branches
                    .iter()
                    .find(|b| b.get("type") != Some(&Value::from("null")))
                {
                    Some(b) => node = b,
                    None => return node,
                }
            } else {
                return node;
            }
        }
        node
    }

    fn value(
        &self,
        value: &Spanned<DeValue<'_>>,
        node: &'a Value,
        at: &str,
        problems: &mut Problems,
    ) {
        let node = self.resolve(node);
        if !self.of_type(value, node, at, problems) {
            return;
        }
        match value.get_ref() {
            DeValue::Table(t) => {
                if let Some(branches) = node.get("oneOf").and_then(Value::as_array) {
                    self.tagged(t, value.span(), branches, at, problems);
                } else if node.get("properties").is_some() {
                    self.table(t, value.span(), node, at, problems);
                }
            }
            DeValue::Array(items) => {
                if let Some(item) = node.get("items") {
                    for (i, v) in items.iter().enumerate() {
                        self.value(v, item, &format!("{at}[{}]", i + 1), problems);
                    }
                }
            }
            _ => {}
        }
    }

    /// Whether `value` is of a kind the schema allows at `at` (text, a number, a list …);
    /// if not, a problem in the user's words, and the document is not read further (serde
    /// would stop at the first such value, in Rust's words: `expected i64`).
    fn of_type(
        &self,
        value: &Spanned<DeValue<'_>>,
        node: &Value,
        at: &str,
        problems: &mut Problems,
    ) -> bool {
        let allowed: Vec<&str> = match node.get("type") {
            Some(Value::String(t)) => vec![t.as_str()],
            Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
            _ if node.get("oneOf").is_some() || node.get("properties").is_some() => {
                vec!["object"]
            }
            _ => return true,
        };
        let (kind, found, found_zh) = match value.get_ref() {
            DeValue::String(t) => ("string", format!("the text \"{t}\""), format!("文字“{t}”")),
            DeValue::Integer(n) => ("integer", format!("the number {n}"), format!("数字 {n}")),
            DeValue::Float(n) => ("number", format!("the number {n}"), format!("数字 {n}")),
            DeValue::Boolean(b) => ("boolean", b.to_string(), format!(" {b}")),
            DeValue::Datetime(d) => ("datetime", format!("the date {d}"), format!("日期 {d}")),
            DeValue::Array(_) => ("array", "a list [ … ]".to_string(), "列表 [ … ]".into()),
            DeValue::Table(_) => ("object", "a table".to_string(), "表".into()),
        };
        let fits = allowed.contains(&kind) || (kind == "integer" && allowed.contains(&"number"));
        if fits {
            return true;
        }
        self.complete.set(false);
        let words: Vec<(&str, &str)> = allowed
            .iter()
            .filter_map(|t| match *t {
                "string" => Some(("text in quotes, such as \"…\"", "加引号的文字，如 \"…\"")),
                "number" => Some(("a number such as 10 or 2.5", "数字，如 10 或 2.5")),
                "integer" => Some(("a whole number", "整数")),
                "boolean" => Some(("true or false", "true 或 false")),
                "array" => Some(("a list in brackets, [ … ]", "方括号括起的列表 [ … ]")),
                "object" => Some(("a table of keys", "由键组成的表")),
                _ => None,
            })
            .collect();
        let (en, zh): (Vec<&str>, Vec<&str>) = words.into_iter().unzip();
        problems.push(
            Problem::error(self.path, format!("`{at}` is {found}"))
                .zh(format!("`{at}` 填成了{found_zh}"))
                .code(Code::InvalidValue)
                .span(self.source, value.span())
                .field(at.to_string())
                .expected(en.join(", or "))
                .zh_expected(zh.join("，或")),
        );
        false
    }

    /// A table whose schema is one of several variants told apart by `kind` (the rules).
    fn tagged(
        &self,
        table: &DeTable<'_>,
        span: std::ops::Range<usize>,
        branches: &'a [Value],
        at: &str,
        problems: &mut Problems,
    ) {
        let kinds: Vec<&str> = branches
            .iter()
            .filter_map(|b| b.pointer("/properties/kind/const").and_then(Value::as_str))
            .collect();
        let kind = table.iter().find(|(k, _)| k.get_ref() == "kind");
        let Some((_, kind_value)) = kind else {
            self.complete.set(false);
            problems.push(
                Problem::error(self.path, format!("`{at}` has no `kind`"))
                    .zh(format!("`{at}` 缺少 `kind`（评分规则的种类）"))
                    .code(Code::MissingKey)
                    .span(self.source, span)
                    .field(format!("{at}.kind"))
                    .expected(format!("kind = one of {}", kinds.join(", ")))
                    .zh_expected(format!("kind = 以下之一：{}", kinds.join("、"))),
            );
            return;
        };
        let Some(name) = kind_value.get_ref().as_str() else {
            return; // not a string: serde reports the type
        };
        match branches
            .iter()
            .find(|b| b.pointer("/properties/kind/const").and_then(Value::as_str) == Some(name))
        {
            Some(branch) => self.table(table, span, branch, at, problems),
            None => {
                self.complete.set(false);
                let mut p = Problem::error(self.path, format!("unknown rule kind `{name}`"))
                    .zh(format!("没有 `{name}` 这种评分规则"))
                    .code(Code::InvalidValue)
                    .span(self.source, kind_value.span())
                    .field(format!("{at}.kind"))
                    .value(name)
                    .expected(format!("one of {}", kinds.join(", ")))
                    .zh_expected(format!("以下之一：{}", kinds.join("、")));
                if let Some(s) = did_you_mean(name, kinds.iter().copied()) {
                    p = p
                        .help(format!("did you mean `{s}`?"))
                        .zh_help(format!("是不是 `{s}`？"));
                }
                problems.push(p);
            }
        }
    }

    fn table(
        &self,
        table: &DeTable<'_>,
        span: std::ops::Range<usize>,
        node: &'a Value,
        at: &str,
        problems: &mut Problems,
    ) {
        let node = self.resolve(node);
        let Some(props) = node.get("properties").and_then(Value::as_object) else {
            return;
        };
        let closed = node.get("additionalProperties") == Some(&Value::Bool(false));
        let (here, here_zh) = if at.is_empty() {
            ("the top level".to_string(), "文件顶层".to_string())
        } else {
            (format!("`{at}`"), format!("`{at}` "))
        };
        // A misspelt key is one mistake: its suggestion is not also reported as missing.
        let mut suggested: Vec<&str> = Vec::new();
        for (key, value) in table.iter() {
            let name = key.get_ref().as_ref();
            let child = if at.is_empty() {
                name.to_string()
            } else {
                format!("{at}.{name}")
            };
            match props.get(name) {
                Some(prop) => self.value(value, prop, &child, problems),
                None if closed => {
                    let mut p =
                        Problem::error(self.path, format!("unknown key `{name}` in {here}"))
                            .zh(format!("{here_zh}中没有 `{name}` 这个键"))
                            .code(Code::UnknownKey)
                            .span(self.source, key.span())
                            .field(child)
                            .value(name)
                            .expected(format!("one of {}", known(props)))
                            .zh_expected(format!("以下之一：{}", known(props)));
                    if let Some(s) = did_you_mean(name, props.keys().map(String::as_str)) {
                        p = p
                            .help(format!("did you mean `{s}`?"))
                            .zh_help(format!("是不是 `{s}`？"));
                        suggested.push(s);
                    }
                    problems.push(p);
                }
                None => {}
            }
        }
        if let Some(required) = node.get("required").and_then(Value::as_array) {
            for key in required.iter().filter_map(Value::as_str) {
                let present = table.iter().any(|(k, _)| k.get_ref() == key);
                if !present {
                    self.complete.set(false);
                }
                if !present && !suggested.contains(&key) {
                    problems.push(
                        Problem::error(self.path, format!("missing key `{key}` in {here}"))
                            .zh(format!("{here_zh}缺少 `{key}`"))
                            .code(Code::MissingKey)
                            .span(self.source, header_span(self.source.text(), span.clone()))
                            .field(if at.is_empty() {
                                key.to_string()
                            } else {
                                format!("{at}.{key}")
                            })
                            .expected(format!("{key} = …")),
                    );
                }
            }
        }
    }
}

/// The keys a table takes, for a message.
fn known(props: &serde_json::Map<String, Value>) -> String {
    props
        .keys()
        .filter(|k| *k != "$schema")
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(", ")
}

/// A table's span may cover its whole body; point at its first line (the `[header]`).
fn header_span(source: &str, span: std::ops::Range<usize>) -> std::ops::Range<usize> {
    let start = span.start.min(source.len());
    let end = source[start..]
        .find('\n')
        .map_or(source.len(), |i| start + i)
        .min(span.end.max(start));
    start..end.max(start)
}

/// The closest candidate within a small edit distance, for "did you mean".
pub(crate) fn did_you_mean<'c>(
    word: &str,
    candidates: impl Iterator<Item = &'c str>,
) -> Option<&'c str> {
    let limit = (word.chars().count() / 3).max(1) + 1;
    candidates
        .map(|c| (levenshtein(word, c), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What serde says about a small table, through [`toml_message_zh`].
    fn said<T: serde::de::DeserializeOwned + std::fmt::Debug>(text: &str) -> (String, String) {
        let e = toml::from_str::<T>(text).unwrap_err();
        let en = e.message().trim().to_string();
        (toml_message_zh(&en), en)
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Basic {
        goals: Option<String>,
        name: Option<String>,
        count: Option<u32>,
        family: Option<Family>,
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(rename_all = "kebab-case")]
    enum Family {
        SelfEvaluation,
        Framework,
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Needs {
        id: String,
    }

    #[test]
    fn serde_messages_are_said_in_chinese_with_their_names() {
        let (zh, en) = said::<Basic>("goal = \"x\"");
        assert!(en.starts_with("unknown field `goal`"), "{en}");
        assert_eq!(zh, "未知的键“goal”；可用的键：goals、name、count、family");
        let (zh, _) = said::<Basic>("count = \"three\"");
        assert_eq!(zh, "类型不对：所填为字符串 \"three\"，应为整数");
        let (zh, _) = said::<Basic>("family = \"custom\"");
        assert_eq!(zh, "未知的取值“custom”；可选：self-evaluation、framework");
        let (zh, _) = said::<Needs>("");
        assert_eq!(zh, "缺少键“id”");
        // Anything else keeps the parser's words in a Chinese frame.
        assert_eq!(
            toml_message_zh("unclosed table"),
            "TOML 格式错误：unclosed table"
        );
    }

    #[test]
    fn suggestions_are_close_words_only() {
        // wieght → weight: two substitutions (i↔e swapped) = distance 2 ≤ 6/3 + 1 = 3
        assert_eq!(
            did_you_mean("wieght", ["id", "name", "weight"].into_iter()),
            Some("weight")
        );
        assert_eq!(
            did_you_mean("metrc", ["metric", "target"].into_iter()),
            Some("metric")
        );
        assert_eq!(did_you_mean("colour", ["id", "name"].into_iter()), None);
        assert_eq!(levenshtein("kitten", "sitting"), 3);
    }
}
