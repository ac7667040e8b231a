//! The one setting jixiao gives the system allocator.
//!
//! glibc's malloc raises its mmap threshold whenever a large block it had mapped is freed
//! (up to 32 MB); from then on large blocks come from the heap, and once freed they stay
//! with the process. The ledger's part tables and read buffers, all freed before the
//! projects are scored, would then keep about 8 MB that scoring cannot reuse. A fixed
//! threshold (glibc's default, 128 KB) keeps large blocks mapped, so that they go back to
//! the system when freed: the peak memory of a 20,000-project bureau with a 10M-row
//! ledger goes from 61–64 MiB to about 54 MiB, and the run is no slower
//! (`docs/performance.md`).

/// Keep blocks of 128 KB and more mapped on their own (glibc only; elsewhere nothing).
/// Call it first thing, before any other thread runs.
pub fn keep_large_blocks_mapped() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets one of malloc's parameters; no other thread exists yet.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 128 * 1024);
    }
}
