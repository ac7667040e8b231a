//! Which projects are scored, and scoring them on the threads in chunks, the results
//! handed on in project-code order.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use super::read::Projects;
use super::{Batch, Failure, Scope, Summary};
use crate::data::BudgetRow;
use crate::diag::{Code, Problem, Problems};
use crate::evaluation::Outcome;
use crate::workspace::{self, Workspace};

/// A project to score: its number in the budget, its code, its budget rows and the
/// problems found for it while reading.
pub(super) type Job<'a> = (usize, &'a str, &'a [BudgetRow], Problems);

/// Projects scored in a chunk, the share a thread takes at a time.
const CHUNK: usize = 64;

/// The projects `scope` scores, by number in the budget; `None` (nothing is scored) when
/// the one chosen is not in the budget: an error says so, unless the budget is empty
/// (that is said once, at the end of the run).
pub(super) fn choose(
    scope: &Scope,
    setup: &Workspace,
    projects: &Projects,
    global: &mut Problems,
) -> Option<Vec<usize>> {
    let id = match scope {
        Scope::All => return Some((0..projects.len()).collect()),
        Scope::One(id) => id,
    };
    if let Some(n) = projects.number(id) {
        return Some(vec![n]);
    }
    if projects.is_empty() {
        return None;
    }
    let ids: Vec<String> = projects.ids().map(String::from).collect();
    global.push(
        Problem::error(
            &setup.inputs.budget,
            format!(
                "the project to score, \"{id}\" (from evaluation.toml or --project), is not in the budget"
            ),
        )
        .zh(format!(
            "要打分的项目“{id}”（来自 evaluation.toml 或 --project）不在预算表中"
        ))
        .code(Code::ProjectChoice)
        .field("project")
        .zh_field("项目编码")
        .value(id)
        .expected(format!("one of: {}", workspace::listed(&ids)))
        .zh_expected(format!("以下之一：{}", workspace::listed_zh(&ids))),
    );
    None
}

/// The `chosen` projects as jobs, in chunks of [`CHUNK`], each with its problems from
/// `own`; a chunk is taken by the first thread free.
pub(super) fn jobs<'a>(
    chosen: &[usize],
    projects: &Projects<'a>,
    mut own: BTreeMap<usize, Problems>,
) -> Vec<Mutex<Option<Vec<Job<'a>>>>> {
    chosen
        .chunks(CHUNK)
        .map(|part| {
            let jobs = part
                .iter()
                .map(|&n| {
                    let (id, rows) = projects.get(n);
                    (n, id, rows, own.remove(&n).unwrap_or_default())
                })
                .collect();
            Mutex::new(Some(jobs))
        })
        .collect()
}

/// A project's result rendered, with its summary.
type Done = std::io::Result<(Vec<u8>, Summary)>;

/// A chunk's results, by its number.
type Chunk = (usize, Vec<Result<Done, Failure>>);

/// Score the `chunks` on `threads` threads, the calling one included: each result is given
/// to `render` on the thread that made it, and what `render` returns goes to `sink` in
/// chunk order (the summaries and failures into `batch`). The first error of `render` or
/// `sink` stops the run.
pub(super) fn score_in_order<'a>(
    chunks: Vec<Mutex<Option<Vec<Job<'a>>>>>,
    threads: usize,
    score: impl Fn(Job<'a>) -> Result<Outcome, Failure> + Sync,
    render: &(dyn Fn(&Outcome) -> std::io::Result<Vec<u8>> + Sync),
    sink: &mut dyn FnMut(&[u8]) -> std::io::Result<()>,
    batch: &mut Batch,
) -> std::io::Result<()> {
    let threads = threads.max(1);
    let next = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    // Score the next chunk not taken, if any (and not stopped).
    let work = || -> Option<Chunk> {
        let i = next.fetch_add(1, Ordering::Relaxed);
        if i >= chunks.len() || stop.load(Ordering::Relaxed) {
            return None;
        }
        let chunk = chunks[i].lock().expect("chunk").take().unwrap_or_default();
        let done = chunk
            .into_iter()
            .map(|job| score(job).map(|o| Ok((render(&o)?, Summary::of(o)))))
            .collect();
        Some((i, done))
    };
    std::thread::scope(|s| {
        let (tx, rx) = std::sync::mpsc::channel::<Chunk>();
        // The calling thread is one of the threads: its allocator arena holds the memory
        // the ledger let go, which a new thread's arena could not use.
        for _ in 1..threads {
            let tx = tx.clone();
            let work = &work;
            s.spawn(move || {
                while let Some(done) = work() {
                    if tx.send(done).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        // The chunks done, by number, until those before them are handed on.
        let mut waiting = BTreeMap::new();
        let mut want = 0;
        let mut hand_on = |waiting: &mut BTreeMap<usize, Vec<Result<Done, Failure>>>| {
            while let Some(done) = waiting.remove(&want) {
                want += 1;
                for r in done {
                    match r {
                        Ok(done) => {
                            if let Err(e) = done.and_then(|(bytes, summary)| {
                                sink(&bytes)?;
                                batch.scored.push(summary);
                                Ok(())
                            }) {
                                stop.store(true, Ordering::Relaxed);
                                return Err(e);
                            }
                        }
                        Err(f) => batch.failures.push(f),
                    }
                }
            }
            Ok(())
        };
        while let Some((i, done)) = work() {
            waiting.insert(i, done);
            waiting.extend(rx.try_iter());
            hand_on(&mut waiting)?;
        }
        for (i, done) in rx.iter() {
            waiting.insert(i, done);
            hand_on(&mut waiting)?;
        }
        Ok(())
    })
}
