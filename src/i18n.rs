//! Output language: Chinese (default) or English. Diagnostic codes and JSON keys do not change.

/// `--lang zh|en`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Zh,
    En,
}

impl Lang {
    /// Pick the Chinese or English text.
    pub fn pick<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }
}

/// An error that can say itself in Chinese too: the command line prints the language the
/// user chose (its `Display` is the English).
pub trait Localized {
    /// The message in Chinese.
    fn zh(&self) -> String;
}

/// An error of the operating system in Chinese: the kinds a user meets (a missing file, no
/// permission, a full disk) named; any other with the system's own words beside.
pub fn io_error_zh(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    if let Some(inner) = e.get_ref()
        && let Some(l) = inner.downcast_ref::<crate::output::NotRegular>()
    {
        return l.zh();
    }
    let named = match e.kind() {
        K::NotFound => "没有这个文件或目录",
        K::PermissionDenied => "没有权限",
        K::AlreadyExists => "已存在",
        K::IsADirectory => "这是一个目录，不是文件",
        K::NotADirectory => "路径中有一项不是目录",
        K::DirectoryNotEmpty => "目录不是空的",
        K::StorageFull => "磁盘空间不足",
        K::ReadOnlyFilesystem => "文件系统只读",
        K::FileTooLarge => "文件太大",
        K::InvalidFilename => "文件名无效（太长或含不允许的字符）",
        K::Interrupted => "被中断",
        K::BrokenPipe => "输出管道已关闭",
        K::OutOfMemory => "内存不足",
        K::InvalidData => "数据无效（不是所期望的格式或编码）",
        _ => return format!("系统错误（{e}）"),
    };
    named.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Error, ErrorKind};

    #[test]
    fn system_errors_are_named_in_chinese() {
        let missing = Error::from(ErrorKind::NotFound);
        assert_eq!(io_error_zh(&missing), "没有这个文件或目录");
        let denied = Error::from(ErrorKind::PermissionDenied);
        assert_eq!(io_error_zh(&denied), "没有权限");
        // A kind without a name keeps the system's words, inside a Chinese frame.
        let other = Error::other("disk on fire");
        assert_eq!(io_error_zh(&other), "系统错误（disk on fire）");
    }

    #[test]
    fn a_refused_output_says_why_in_chinese() {
        let folder = Error::new(ErrorKind::InvalidInput, crate::output::NotRegular::Folder);
        assert_eq!(io_error_zh(&folder), "这是一个目录");
        assert_eq!(folder.to_string(), "it is a folder");
    }
}
