//! An interrupted run leaves no temporary file: SIGINT (Ctrl-C), SIGTERM and SIGHUP are
//! caught on a thread of their own, which removes the run's temporary files and exits
//! with 128 + the signal's number, as the shell reports a process the signal killed
//! (130, 143, 129).

/// Catch the signals from now on. The signals are registered on the thread itself: if it
/// cannot be started they keep their default action (the run is killed, and the next run
/// into the same folder removes what it left).
#[cfg(unix)]
pub fn remove_temporaries_when_interrupted() {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let (ready, wait) = std::sync::mpsc::channel();
    let spawned = std::thread::Builder::new()
        .name("signals".into())
        .spawn(move || {
            let signals = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP]);
            let _ = ready.send(());
            if let Some(signal) = signals.ok().and_then(|mut s| s.forever().next()) {
                jixiao::output::remove_temporaries();
                std::process::exit(128 + signal);
            }
        });
    // Registered before the run writes anything.
    if spawned.is_ok() {
        let _ = wait.recv();
    }
}

#[cfg(not(unix))]
pub fn remove_temporaries_when_interrupted() {}
