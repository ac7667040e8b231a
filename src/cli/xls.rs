//! `.xls` workbooks are read in a child process: calamine's reader of the old binary format
//! trusts the sizes a file states, so a damaged or hostile `.xls` of a few KB can make it ask
//! for 137 GB (the process aborts) or index out of bounds. The child is this binary,
//! running the hidden subcommand `xls-cells`; it may die, run out of its memory limit or
//! time out without taking the run with it, which then reports the file as unreadable.

use jixiao::data::sheet::{self, Sheet, Unreadable};
use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The child's address space (on Linux): an `.xls` sheet is at most 65,536 × 256 cells,
/// a few hundred MB read whole.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const MEMORY_LIMIT: u64 = 4 << 30;

/// The longest a child may take.
const TIME_LIMIT: Duration = Duration::from_secs(120);

/// Read `.xls` workbooks through the child from now on.
pub fn install() {
    sheet::read_xls_with(read_in_child);
}

/// The child's side (`jixiao xls-cells FILE [--sheet NAME]`): the sheet, or why not, as
/// one JSON document on stdout.
pub fn serve(path: &Path, sheet_name: Option<&str>) -> u8 {
    let reply = match sheet::read_here(path, sheet_name) {
        Ok(s) => serde_json::json!({ "ok": s }),
        Err(e) => serde_json::json!({ "err": e }),
    };
    let mut out = std::io::stdout().lock();
    let written = serde_json::to_writer(&mut out, &reply).is_ok() && out.flush().is_ok();
    if written { 0 } else { 2 }
}

fn damaged((why, why_zh): (&str, &str)) -> Unreadable {
    Unreadable::new(
        format!("cannot read the workbook: it is damaged or not an Excel 97–2003 file ({why})"),
        format!("无法读取工作簿：文件已损坏，或不是 Excel 97–2003 文件（{why_zh}）"),
        sheet::SAVE_AGAIN,
        sheet::SAVE_AGAIN_ZH,
    )
}

fn read_in_child(path: &Path, sheet_name: Option<&str>) -> Result<Sheet, Unreadable> {
    let exe = std::env::current_exe().map_err(|e| {
        damaged((
            &format!("no reader: {e}"),
            &format!("无法启动读取程序：{e}"),
        ))
    })?;
    let mut command = Command::new(exe);
    command.arg("xls-cells").arg(path);
    if let Some(s) = sheet_name {
        command.arg("--sheet").arg(s);
    }
    command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        use std::os::unix::process::CommandExt;
        // SAFETY: setrlimit is async-signal-safe, and the closure touches nothing else
        // between fork and exec.
        unsafe {
            command.pre_exec(|| {
                let limit = libc::rlimit {
                    rlim_cur: MEMORY_LIMIT,
                    rlim_max: MEMORY_LIMIT,
                };
                if libc::setrlimit(libc::RLIMIT_AS, &limit) != 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
    }
    let mut child = command.spawn().map_err(|e| {
        damaged((
            &format!("no reader: {e}"),
            &format!("无法启动读取程序：{e}"),
        ))
    })?;
    let Some(mut stdout) = child.stdout.take() else {
        let _ = child.kill();
        return Err(damaged(("no reader", "无法启动读取程序")));
    };
    let collected = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = stdout.read_to_end(&mut bytes);
        bytes
    });
    let start = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if start.elapsed() < TIME_LIMIT => {
                std::thread::sleep(Duration::from_millis(10));
            }
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
        }
    };
    let bytes = collected.join().unwrap_or_default();
    match status {
        Some(s) if s.success() => {}
        Some(_) => return Err(damaged(("its reader stopped", "读取程序中途停止"))),
        None => {
            return Err(damaged((
                "its reader took longer than 120 s",
                "读取超过 120 秒",
            )));
        }
    }
    #[derive(serde::Deserialize)]
    enum Reply {
        #[serde(rename = "ok")]
        Ok(Sheet),
        #[serde(rename = "err")]
        Err(Unreadable),
    }
    match serde_json::from_slice::<Reply>(&bytes) {
        Ok(Reply::Ok(sheet)) => Ok(sheet),
        Ok(Reply::Err(e)) => Err(e),
        Err(_) => Err(damaged((
            "its reader gave no sheet",
            "读取程序未给出工作表",
        ))),
    }
}
