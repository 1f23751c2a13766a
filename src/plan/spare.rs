//! Buffers that a thread's parses hand on to its next parse, for a command that parses many
//! plans one after another (`scplan check` of many files). glibc's allocator raises its
//! threshold for giving memory back to the system to the size of the largest block freed, so a
//! parse tree's buffer freed after each file leaves every thread holding free memory it never
//! returns, more as files go by. Reused, the buffers stay one of each kind per thread, the size
//! of the largest file's.

use std::cell::Cell;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::LocalKey;

/// Whether buffers are handed on (off unless a command asks: an editor's tree, kept as a
/// spare after its one parse, would only hold memory).
static REUSE: AtomicBool = AtomicBool::new(false);

/// A thread's spare buffer of one kind.
pub type Spare<T> = LocalKey<Cell<Vec<T>>>;

/// From now on, the buffers given back are kept for the same thread's next parse. For a
/// command that parses many plans and exits; never for a long-lived process.
pub fn reuse_buffers() {
    REUSE.store(true, Ordering::Relaxed);
}

/// An empty buffer: the thread's spare one where buffers are reused, else a new one.
pub fn take<T: 'static>(spare: &'static Spare<T>) -> Vec<T> {
    if !REUSE.load(Ordering::Relaxed) {
        return Vec::new();
    }
    let mut buffer = spare.take();
    buffer.clear();
    buffer
}

/// Gives `buffer` back: kept as the thread's spare (the larger of it and the one kept) where
/// buffers are reused, else freed.
pub fn give<T: 'static>(spare: &'static Spare<T>, mut buffer: Vec<T>) {
    if !REUSE.load(Ordering::Relaxed) {
        return;
    }
    buffer.clear();
    let kept = spare.take();
    spare.set(if kept.capacity() >= buffer.capacity() {
        kept
    } else {
        buffer
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    thread_local! {
        static NUMBERS: Cell<Vec<u64>> = const { Cell::new(Vec::new()) };
    }

    #[test]
    fn a_given_buffer_comes_back_empty_and_the_larger_is_kept() {
        reuse_buffers();
        give(&NUMBERS, (0..1000).collect());
        give(&NUMBERS, vec![7; 10]);
        let buffer = take(&NUMBERS);
        assert!(buffer.is_empty());
        assert!(buffer.capacity() >= 1000, "{}", buffer.capacity());
        // Taken, it is no longer the spare: the next take starts from nothing.
        assert_eq!(take(&NUMBERS).capacity(), 0);
    }
}
