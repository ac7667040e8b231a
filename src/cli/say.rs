//! What the command line itself says (its errors, the option errors of the parser) in the
//! language the user chose: Chinese unless `--lang en`.

use clap::error::{ContextKind, ContextValue, ErrorKind};
use jixiao::i18n::{Lang, Localized, io_error_zh};
use std::error::Error;

/// The language asked for on the command line, read before it is parsed: the parser's
/// own errors must speak it too, and they come before any parsed value.
pub fn lang_of_args(args: &[std::ffi::OsString]) -> Lang {
    let mut lang = Lang::Zh;
    let mut next_is_lang = false;
    for a in args {
        let a = a.to_string_lossy();
        let value = if next_is_lang {
            next_is_lang = false;
            Some(a.as_ref())
        } else if a == "--lang" {
            next_is_lang = true;
            None
        } else {
            a.strip_prefix("--lang=")
        };
        match value {
            Some("en") => lang = Lang::En,
            Some("zh") => lang = Lang::Zh,
            _ => {}
        }
        if a == "--" {
            break;
        }
    }
    lang
}

/// An error of a command that could not run, in `lang`: each cause of the chain in its
/// Chinese words when it has them (the library's typed errors, the system's errors), the
/// contexts as the command wrote them (already in the user's language).
pub fn describe(e: &anyhow::Error, lang: Lang) -> String {
    match lang {
        Lang::En => format!("{e:#}"),
        Lang::Zh => e.chain().map(zh_of).collect::<Vec<_>>().join("："),
    }
}

/// The line that tells a command could not run: `jixiao：…` or `jixiao: …`, then
/// [`describe`].
pub fn error_line(e: &anyhow::Error, lang: Lang) -> String {
    format!("jixiao{}{}", lang.pick("：", ": "), describe(e, lang))
}

fn zh_of(e: &(dyn Error + 'static)) -> String {
    macro_rules! localized {
        ($($t:ty),*) => {
            $(if let Some(x) = e.downcast_ref::<$t>() {
                return x.zh();
            })*
        };
    }
    localized!(
        jixiao::check::CheckError,
        jixiao::review::ReviewError,
        jixiao::templates::InitError,
        jixiao::output::WouldOverwriteInput,
        jixiao::output::NotRegular
    );
    if let Some(io) = e.downcast_ref::<std::io::Error>() {
        return io_error_zh(io);
    }
    e.to_string()
}

/// The parser's error (a wrong option, a missing argument, a bad value) in Chinese; help
/// and version are printed as they are.
pub fn clap_error_zh(e: &clap::Error) -> Option<String> {
    let ctx = |kind| e.get(kind).map(value_text);
    let arg = ctx(ContextKind::InvalidArg).unwrap_or_default();
    let value = ctx(ContextKind::InvalidValue).unwrap_or_default();
    let mut text = match e.kind() {
        ErrorKind::DisplayHelp
        | ErrorKind::DisplayVersion
        | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => return None,
        ErrorKind::UnknownArgument => format!("不认识的参数“{arg}”"),
        ErrorKind::InvalidSubcommand => {
            let sub = ctx(ContextKind::InvalidSubcommand).unwrap_or_default();
            format!("没有“{sub}”这个命令")
        }
        ErrorKind::InvalidValue if value.is_empty() => format!("参数 {arg} 缺少取值"),
        ErrorKind::InvalidValue => format!("参数 {arg} 的取值“{value}”无效"),
        ErrorKind::ValueValidation => {
            let why = e.source().map(|s| s.to_string()).unwrap_or_default();
            // The ranges of number options: "65 is not in 1..=64".
            let why = match why.split_once(" is not in ") {
                Some((_, range)) => format!("应在 {} 之间", range.replace("..=", " 到 ")),
                None => why,
            };
            format!("参数 {arg} 的取值“{value}”无效：{why}")
        }
        ErrorKind::MissingRequiredArgument => format!("缺少必需的参数：{arg}"),
        ErrorKind::MissingSubcommand => "缺少命令".to_string(),
        ErrorKind::ArgumentConflict => {
            let prior = ctx(ContextKind::PriorArg).unwrap_or_default();
            format!("参数 {arg} 不能与 {prior} 同时使用")
        }
        ErrorKind::TooManyValues => format!("参数 {arg} 多给了取值“{value}”"),
        ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            format!("参数 {arg} 的取值个数不对")
        }
        ErrorKind::NoEquals => format!("参数 {arg} 的取值要用等号写：{arg}=取值"),
        ErrorKind::InvalidUtf8 => "参数中有无效的 UTF-8 字符".to_string(),
        _ => return None,
    };
    if let Some(valid) = ctx(ContextKind::ValidValue) {
        text.push_str(&format!("；可选：{valid}"));
    }
    if let Some(s) = ctx(ContextKind::SuggestedSubcommand) {
        text.push_str(&format!("；是不是想用命令“{s}”？"));
    }
    if let Some(s) = ctx(ContextKind::SuggestedArg) {
        text.push_str(&format!("；是不是想用“{s}”？"));
    }
    if let Some(s) = ctx(ContextKind::SuggestedValue) {
        text.push_str(&format!("；是不是想写“{s}”？"));
    }
    let usage = ctx(ContextKind::Usage)
        .map(|u| {
            let u = u.trim();
            let u = u.strip_prefix("Usage:").unwrap_or(u).trim();
            format!("\n\n用法：{u}")
        })
        .unwrap_or_default();
    Some(format!(
        "错误：{text}{usage}\n\n查看说明：jixiao --help（各命令：jixiao 命令 --help）\n"
    ))
}

fn value_text(v: &ContextValue) -> String {
    match v {
        ContextValue::String(s) => s.clone(),
        ContextValue::Strings(s) => s.join("、"),
        ContextValue::StyledStr(s) => s.to_string(),
        ContextValue::StyledStrs(s) => s
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("、"),
        ContextValue::Number(n) => n.to_string(),
        ContextValue::Bool(b) => b.to_string(),
        _ => String::new(),
    }
}

/// `jixiao help [COMMAND…]` of the Chinese help: prints the help asked for. `false` when
/// the command line is not a call for help.
pub fn print_help_asked(cmd: &mut clap::Command, m: &clap::ArgMatches) -> bool {
    let Some(("help", h)) = m.subcommand() else {
        return false;
    };
    let path: Vec<String> = h
        .get_many::<String>("command")
        .map(|v| v.cloned().collect())
        .unwrap_or_default();
    cmd.build();
    let mut at = cmd.clone();
    for name in &path {
        let Some(sub) = at.find_subcommand(name).cloned() else {
            eprintln!("错误：没有“{name}”这个命令");
            break;
        };
        at = sub;
    }
    let _ = at.print_long_help();
    true
}

/// The text in the language of the run: Chinese unless `--lang en`.
pub fn say(zh: impl Into<String>, en: impl Into<String>) -> String {
    match super::messages() {
        Lang::Zh => zh.into(),
        Lang::En => en.into(),
    }
}

/// "cannot write FILE", the context of a failed write.
pub fn cannot_write(path: &std::path::Path) -> String {
    let p = path.display();
    say(format!("无法写入 {p}"), format!("cannot write {p}"))
}

/// "cannot create FOLDER".
pub fn cannot_create(path: &std::path::Path) -> String {
    let p = path.display();
    say(format!("无法创建目录 {p}"), format!("cannot create {p}"))
}

/// The context of a failed write to standard output.
pub fn cannot_write_output() -> String {
    say("无法写出结果", "cannot write the output")
}

/// Tell on stderr that a file was written.
pub fn wrote(path: &std::path::Path) {
    let p = path.display();
    eprintln!(
        "{}",
        say(format!("jixiao：已写入 {p}"), format!("jixiao: wrote {p}"))
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(a: &[&str]) -> Vec<std::ffi::OsString> {
        a.iter().map(Into::into).collect()
    }

    #[test]
    fn the_language_is_read_before_parsing() {
        assert_eq!(lang_of_args(&args(&["jixiao", "score", "x"])), Lang::Zh);
        assert_eq!(
            lang_of_args(&args(&["jixiao", "--lang", "en", "score"])),
            Lang::En
        );
        assert_eq!(
            lang_of_args(&args(&["jixiao", "score", "--lang=en"])),
            Lang::En
        );
        // After `--` every word is a value, not an option.
        assert_eq!(
            lang_of_args(&args(&["jixiao", "score", "--", "--lang=en"])),
            Lang::Zh
        );
    }
}
