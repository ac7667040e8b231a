//! The progress bar of a batch (indicatif), on stderr. It shows only for runs that last
//! more than about a second, only when stderr is a terminal, never when `CI` is set, and
//! never with `--quiet`: logs and pipes stay clean.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// A bar over the bytes of the ledger, hidden until the run has lasted a second.
pub struct Progress {
    bar: Option<ProgressBar>,
    start: Instant,
    shown: AtomicBool,
}

/// Runs shorter than this show no bar.
const DELAY: Duration = Duration::from_secs(1);

impl Progress {
    /// A bar over `total` bytes, if one may be shown at all.
    pub fn new(total: u64, quiet: bool) -> Progress {
        let wanted = !quiet && std::env::var_os("CI").is_none() && std::io::stderr().is_terminal();
        let bar = wanted.then(|| {
            let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::hidden());
            if let Ok(style) = ProgressStyle::with_template(
                "{spinner} 支出明细 {bar:30} {bytes}/{total_bytes} {bytes_per_sec} {eta}",
            ) {
                bar.set_style(style);
            }
            bar
        });
        Progress {
            bar,
            start: Instant::now(),
            shown: AtomicBool::new(false),
        }
    }

    /// `done` bytes have been read.
    pub fn set(&self, done: u64) {
        let Some(bar) = &self.bar else { return };
        bar.set_position(done);
        if !self.shown.load(Ordering::Relaxed) && self.start.elapsed() >= DELAY {
            self.shown.store(true, Ordering::Relaxed);
            bar.set_draw_target(ProgressDrawTarget::stderr());
        }
    }

    /// Remove the bar.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
