//! The values of the options that take a choice (`--format`, `--lang`, `--encoding`,
//! `--family`). They are the binary's own: the library does not know the command line.
//! Where the library has the same choice, `From` turns one into the other.

use clap::ValueEnum;

/// `score --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum Format {
    /// 表格，供人阅读 — tables for people.
    #[default]
    Table,
    /// 一个 JSON 文档，键名固定（docs/output.md），供程序读取 — one JSON document with
    /// stable keys (docs/output.md).
    Json,
    /// 每个指标一行的 CSV（UTF-8 带 BOM，Excel 可直接打开） — one CSV row per indicator,
    /// UTF-8 with a byte-order mark for Excel (docs/output.md).
    Csv,
}

/// `check --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum CheckFormat {
    /// 带原文和标记的说明，供人阅读 — snippets with carets, for people.
    #[default]
    Human,
    /// 一个 JSON 文档，供程序读取 — one JSON document, for programs.
    Json,
    /// GitHub Actions 的标注（`::error file=…,line=…::…`） — GitHub Actions annotations
    /// (`::error file=…,line=…::…`).
    Github,
}

/// `review --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum ReviewFormat {
    /// 每张表一行（问题最多的在前），再逐表列出问题并汇总，供人阅读 — one line per table
    /// (worst first), then a table per evaluation and a summary, for people.
    #[default]
    Table,
    /// 一个 JSON 文档，供程序读取 — one JSON document, for programs.
    Json,
    /// GitHub Actions 的标注（`::error file=…,line=…::…`） — GitHub Actions annotations
    /// (`::error file=…,line=…::…`).
    Github,
    /// 每张复核的表一行（问题最多的在前）：总分、问题、结论、代码 — one row per table
    /// reviewed, worst first: totals, findings, verdicts, codes.
    Csv,
}

/// `--lang`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum Lang {
    /// 中文 — Chinese.
    #[default]
    Zh,
    /// 英文 — English.
    En,
}

impl From<Lang> for jixiao::i18n::Lang {
    fn from(l: Lang) -> Self {
        match l {
            Lang::Zh => Self::Zh,
            Lang::En => Self::En,
        }
    }
}

/// `--encoding`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum Encoding {
    /// 自动：整个文件是有效的 UTF-8 或以 UTF-8 BOM 开头时按 UTF-8，否则按 GB18030（GBK）
    /// — UTF-8 if the whole file is valid UTF-8 or starts with a UTF-8 byte-order mark,
    /// otherwise GB18030 (GBK).
    #[default]
    Auto,
    /// UTF-8（可带 BOM） — UTF-8 (a byte-order mark is allowed).
    #[value(name = "utf-8", alias = "utf8")]
    Utf8,
    /// GB18030（包含 GBK 和 GB2312） — GB18030, which includes GBK and GB2312.
    #[value(name = "gb18030", alias = "gbk")]
    Gb18030,
}

impl From<Encoding> for jixiao::data::EncodingChoice {
    fn from(e: Encoding) -> Self {
        match e {
            Encoding::Auto => Self::Auto,
            Encoding::Utf8 => Self::Utf8,
            Encoding::Gb18030 => Self::Gb18030,
        }
    }
}

/// `init --family`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Family {
    /// 项目支出绩效自评表：预算执行率 10、产出 50、效益 30、满意度 10 — the 项目支出绩效自评表:
    /// 预算执行率 10, 产出 50, 效益 30, 满意度 10.
    SelfEvaluation,
    /// 评价指标体系框架：决策、过程、产出、效益 — the 评价指标体系框架: 决策 / 过程 / 产出 /
    /// 效益.
    Framework,
}

impl From<Family> for jixiao::templates::InitFamily {
    fn from(f: Family) -> Self {
        match f {
            Family::SelfEvaluation => Self::SelfEvaluation,
            Family::Framework => Self::Framework,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every library choice has its command-line value, and the names are the ones the
    /// documentation gives.
    #[test]
    fn choices_map_one_to_one() {
        use jixiao::data::EncodingChoice as E;
        assert_eq!(E::from(Encoding::Utf8), E::Utf8);
        assert_eq!(E::from(Encoding::Gb18030), E::Gb18030);
        assert_eq!(E::from(Encoding::Auto), E::Auto);
        assert_eq!(jixiao::i18n::Lang::from(Lang::En), jixiao::i18n::Lang::En);
        let names: Vec<String> = Encoding::value_variants()
            .iter()
            .filter_map(|v| v.to_possible_value())
            .map(|v| v.get_name().to_string())
            .collect();
        assert_eq!(names, ["auto", "utf-8", "gb18030"]);
        assert!(Encoding::from_str("gbk", true).is_ok());
        assert!(Family::from_str("self-evaluation", true).is_ok());
    }
}
