//! The parts merged in file order into the ledger's per-project sums.

use super::header::{Encodings, read_as};
use super::part::{Buffers, Part};
use super::projects::{FIRST, Known, OUTSIDE, PartSums, SUM_TOO_LARGE, Totals, UNCHECKED, VOUCHER};
use super::*;
use std::sync::atomic::Ordering;

/// The parts merged in file order.
pub(super) struct Merge<'k> {
    pub(super) known: &'k Known,
    pub(super) totals: Vec<Totals>,
    pub(super) other: FxHashMap<u32, Decimal>,
    /// Tables of merged parts, for the next parts.
    pub(super) spare: Vec<Buffers>,
    /// Lines and vouchers of the projects of the budget, by number.
    pub(super) order: Vec<ProjectSpending>,
    /// The next part to merge, and where it truly starts.
    pub(super) next: usize,
    pub(super) next_start: u64,
    pub(super) waiting: BTreeMap<usize, Part>,
    pub(super) line: usize,
    pub(super) projects: FxHashMap<Box<[u8]>, ProjectSpending>,
    pub(super) rows: usize,
    /// How the header and the parts merged so far were read.
    pub(super) encodings: Encodings,
    pub(super) failed: Option<String>,
}

impl<'k> Merge<'k> {
    /// Merge part `r` (number `next`), known to start where it truly starts.
    pub(super) fn absorb(&mut self, r: Part) -> Result<(), String> {
        if let Some(t) = r.trouble {
            return Err(t);
        }
        self.encodings.note(r.encodings)?;
        for (h, slot) in r.slots.iter().enumerate().filter(|(_, s)| s.rows > 0) {
            let (reversals, outside) = r.counts.get(&(h as u32)).copied().unwrap_or_default();
            let sums = PartSums {
                fen: slot.fen,
                scale: u32::from(slot.scale),
                rows: slot.rows,
                reversals,
                outside,
            };
            self.totals[self.known.index_of[h] as usize].add(&sums)?;
        }
        for (i, sums) in &r.long {
            self.totals[*i as usize].add(sums)?;
        }
        for (i, d) in r.other {
            let o = self.other.entry(i).or_default();
            *o = o.checked_add(d).ok_or(SUM_TOO_LARGE)?;
        }
        for (t, &n) in self.totals.iter_mut().zip(&r.after) {
            t.after += n as usize;
        }
        for (i, n) in &r.before {
            self.totals[*i as usize].before += *n as usize;
        }
        let base = self.line;
        for e in &r.events {
            let k = e.project as usize;
            let p = &mut self.order[k];
            let line = base + e.line as usize;
            let mut done = 0;
            if e.what & FIRST != 0 && p.first_line == 0 {
                p.first_line = line;
                done |= FIRST;
            }
            if e.what & OUTSIDE != 0 {
                p.outside_line(line);
                if p.outside_lines.len() >= LINES_KEPT {
                    done |= OUTSIDE;
                }
            }
            if e.what & VOUCHER != 0 {
                let from = e.text_start as usize;
                let text = &r.text[from..from + usize::from(e.text_len)];
                p.voucher(e.key, line, text, self.known.voucher_limit);
                if p.vouchers_checked() {
                    done |= VOUCHER;
                }
            }
            if e.what & UNCHECKED != 0 {
                p.unchecked_voucher(line);
            }
            if p.unchecked_voucher_line.is_some() {
                done |= UNCHECKED;
            }
            if done != 0 {
                self.known.done[k].fetch_or(done, Ordering::Relaxed);
            }
        }
        for (k, mut p) in r.unknown {
            p.shift(base);
            match self.projects.get_mut(&k) {
                Some(e) => e.absorb(p),
                None => {
                    self.projects.insert(k, p);
                }
            }
        }
        self.rows += r.rows;
        self.line += r.newlines;
        self.spare.push(Buffers {
            slots: r.slots,
            events: r.events,
            text: r.text,
            kept: r.kept,
            after: r.after,
        });
        self.next += 1;
        self.next_start = r.end;
        Ok(())
    }

    pub(super) fn finish(mut self, path: &Path) -> Result<Ledger, String> {
        let mut ledger = Ledger {
            rows: self.rows,
            fast: true,
            ..Ledger::default()
        };
        for (i, t) in std::mem::take(&mut self.totals).into_iter().enumerate() {
            if t.rows + t.after + t.before == 0 {
                continue;
            }
            let mut p = std::mem::take(&mut self.order[i]);
            p.spent = t.spent(self.other.get(&(i as u32)).copied())?;
            p.rows = t.rows;
            p.reversals = t.reversals;
            // The rows before the year are outside it too.
            p.outside_year = t.outside + t.before;
            p.after = t.after;
            p.before = t.before;
            ledger.projects.insert(self.known.names[i].clone(), p);
        }
        for (k, p) in self.projects {
            let k = String::from_utf8(k.into_vec()).map_err(|e| e.to_string())?;
            ledger.projects.insert(k, p);
        }
        super::finish(&mut ledger, path, self.known.voucher_limit);
        Ok(ledger)
    }
}

/// The title and header rows must decode as the data will: their bytes count like a
/// part's in the choice of encoding.
pub(super) fn prefix_check(
    prefix: &[u8],
    choice: EncodingChoice,
    merge: &mut Merge,
) -> Result<(), String> {
    let (_, seen) = read_as(prefix, choice).map_err(|e| format!("a header that is {e}"))?;
    merge.encodings.note(seen)
}
