//! Work spread over the cores: a few threads take the jobs in turn, and the results come back
//! in the order of the jobs, whatever order they finished in, so that output stays the same
//! as doing them one after the other.

use std::cell::Cell;
use std::num::NonZeroUsize;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::thread;

/// The stack of a worker: the main thread's (8 MiB), since checking a deeply nested file
/// recurses as deep on a worker as it would on the main thread.
const STACK_BYTES: usize = 8 << 20;

thread_local! {
    /// Whether this thread runs one share of work already spread over the cores: work it
    /// starts is then not spread again, since the cores are busy and more threads would only
    /// add their memory (two files checked at a time, each check on one core).
    static SHARING: Cell<bool> = const { Cell::new(false) };
}

/// Runs `f` as one share of spread work (see [`SHARING`]).
fn as_share<T>(f: impl FnOnce() -> T) -> T {
    let before = SHARING.replace(true);
    let out = f();
    SHARING.set(before);
    out
}

/// Whether work started here may go to another core: there are two, and this thread does
/// not run a share of work spread already.
pub fn may_spread() -> bool {
    cores() >= 2 && !SHARING.get()
}

/// Runs `first` and `second` at the same time where there are two cores (`first` on a new
/// thread), else one after the other; returns both results. A panic in either is this
/// thread's. Inside either, work is not spread again.
pub fn both<A: Send, B>(first: impl FnOnce() -> A + Send, second: impl FnOnce() -> B) -> (A, B) {
    if !may_spread() {
        return (first(), second());
    }
    // Kept here rather than moved into the thread, so that when no thread can be started
    // this one still has it to run.
    let job = Mutex::new(Some(first));
    let take = || taken(&job);
    thread::scope(|scope| {
        let spawned = thread::Builder::new()
            .stack_size(STACK_BYTES)
            .spawn_scoped(scope, || as_share(|| take().map(|first| first())));
        let b = as_share(second);
        let a = match spawned {
            Ok(handle) => handle
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            Err(_) => take().map(|first| first()),
        };
        // The job is taken once: by the thread, or here when the thread never started.
        (a.expect("the first job ran exactly once"), b)
    })
}

/// Runs `f` on each half of `items`, the halves on two cores where there are two.
pub fn halves<T: Send>(items: &mut [T], f: impl Fn(&mut [T]) + Sync) {
    let (first, second) = items.split_at_mut(items.len() / 2);
    both(|| f(first), || f(second));
}

/// Work going on beside the caller's ([`beside`]): its result, to be waited for or looked at.
pub struct Background<T>(Running<T>);

/// Where the work of a [`Background`] is.
enum Running<T> {
    /// On a thread of its own, which takes the job (`None`: it found none to take).
    Thread(thread::JoinHandle<Option<T>>),
    /// Done already (one core, or no thread could be started).
    Done(T),
}

impl<T> Background<T> {
    /// Work done already.
    pub fn done(value: T) -> Self {
        Background(Running::Done(value))
    }

    /// Whether the result is there, so that [`Background::wait`] would not wait.
    pub fn is_done(&self) -> bool {
        match &self.0 {
            Running::Thread(handle) => handle.is_finished(),
            Running::Done(_) => true,
        }
    }

    /// The result, once the work is done. A panic in the work is this thread's.
    pub fn wait(self) -> T {
        match self.0 {
            Running::Thread(handle) => handle
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
                .expect("the thread took the job, as nothing else could"),
            Running::Done(value) => value,
        }
    }
}

/// Runs `later` on a thread of its own where there are two cores and `here` meanwhile on
/// this one (as one share of spread work, since the other core is taken); returns `here`'s
/// result and the other work, which goes on past the return. With one core, or when no
/// thread can be started, `later` is done first, here.
pub fn beside<A, B: Send + 'static>(
    here: impl FnOnce() -> A,
    later: impl FnOnce() -> B + Send + 'static,
) -> (A, Background<B>) {
    if !may_spread() {
        let later = Background::done(later());
        return (here(), later);
    }
    // Shared rather than moved into the thread, so that when no thread can be started this
    // one still has the work to do.
    let job = Arc::new(Mutex::new(Some(later)));
    let theirs = job.clone();
    let spawned = thread::Builder::new()
        .stack_size(STACK_BYTES)
        .spawn(move || taken(&theirs).map(|later| later()));
    match spawned {
        Ok(handle) => (as_share(here), Background(Running::Thread(handle))),
        Err(_) => {
            let later = taken(&job)
                .map(|later| later())
                .expect("no thread started, so the job is still here");
            (here(), Background::done(later))
        }
    }
}

/// Runs `job` on a thread of its own where there are two cores ([`beside`], with nothing
/// to do here meanwhile).
pub fn background<T: Send + 'static>(job: impl FnOnce() -> T + Send + 'static) -> Background<T> {
    beside(|| (), job).1
}

/// The job in `slot`, for whoever comes first.
fn taken<F>(slot: &Mutex<Option<F>>) -> Option<F> {
    slot.lock().ok().and_then(|mut job| job.take())
}

/// Frees `value` on a thread of its own where there are two cores, so that the caller does
/// not wait while a large tree is taken apart (a process that ends first does not wait for it
/// at all); else, or when no thread can be started, frees it here.
pub fn drop_aside<T: Send + 'static>(value: T) {
    if cores() >= 2 {
        // A thread that cannot be started drops its closure, and with it `value`, here.
        let _ = thread::Builder::new().spawn(move || drop(value));
    }
}

/// The cores this process may use, asked once: the standard library reads the control
/// group's files each time it is asked (tens of microseconds), and an edit asks several times.
fn cores() -> usize {
    static CORES: OnceLock<usize> = OnceLock::new();
    *CORES.get_or_init(|| thread::available_parallelism().map_or(1, NonZeroUsize::get))
}

/// Runs `job(0)`, `job(1)`, ... `job(count - 1)` on up to as many threads as there are cores
/// (never more than `count`), and returns the results in job order. Each thread holds one
/// job's data at a time, so memory is bounded by the largest jobs, not by their number.
pub fn in_order<T: Send>(count: usize, job: impl Fn(usize) -> T + Sync) -> Vec<T> {
    let workers = if may_spread() { cores().min(count) } else { 1 };
    if workers <= 1 {
        return (0..count).map(job).collect();
    }
    let next = AtomicUsize::new(0);
    let slots: Vec<Mutex<Option<T>>> = (0..count).map(|_| Mutex::new(None)).collect();
    let work = || {
        as_share(|| {
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(slot) = slots.get(i) else { break };
                let out = job(i);
                if let Ok(mut slot) = slot.lock() {
                    *slot = Some(out);
                }
            }
        })
    };
    thread::scope(|scope| {
        for _ in 1..workers {
            // A thread that cannot be started leaves its share to the others.
            let _ = thread::Builder::new()
                .stack_size(STACK_BYTES)
                .spawn_scoped(scope, work);
        }
        // This thread works too, so the jobs get done even when no thread could be started.
        work();
    });
    slots
        .into_iter()
        .filter_map(|slot| slot.into_inner().ok().flatten())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_dropped_aside_is_freed() {
        struct Tells(std::sync::mpsc::Sender<&'static str>);
        impl Drop for Tells {
            fn drop(&mut self) {
                let _ = self.0.send("freed");
            }
        }
        let (tx, rx) = std::sync::mpsc::channel();
        drop_aside(Tells(tx));
        assert_eq!(rx.recv(), Ok("freed"));
    }

    #[test]
    fn both_jobs_run_and_keep_their_places() {
        let text = String::from("moved in");
        assert_eq!(both(move || text.len(), || 2), (8, 2));
    }

    #[test]
    fn work_inside_a_share_is_not_spread_again() {
        let (inner, _) = both(
            || both(|| thread::current().id(), || thread::current().id()),
            || (),
        );
        // Both inner jobs run on the thread of the outer first job, whichever that was.
        assert_eq!(inner.0, inner.1);
        let nested = in_order(4, |_| in_order(3, |_| thread::current().id()));
        assert!(nested.iter().all(|ids| ids.iter().all(|id| *id == ids[0])));
        // Outside any share, spreading is allowed again.
        assert!(!SHARING.get());
    }

    #[test]
    fn results_come_back_in_job_order() {
        for count in [0, 1, 2, 7, 100] {
            let squares = in_order(count, |i| {
                // Uneven jobs finish out of order.
                if i % 3 == 0 {
                    thread::sleep(std::time::Duration::from_millis(2));
                }
                i * i
            });
            assert_eq!(squares, (0..count).map(|i| i * i).collect::<Vec<_>>());
        }
    }
}
