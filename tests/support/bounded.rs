//! Time and memory bounds for the hostile-input tests: a global allocator
//! that counts each thread's live bytes and their peak, so a test (on its
//! own thread) measures only itself. Included with `#[path]` by the tests
//! that need it; a test binary has one allocator.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::time::{Duration, Instant};

struct Counting;

thread_local! {
    static LIVE: Cell<usize> = const { Cell::new(0) };
    static PEAK: Cell<usize> = const { Cell::new(0) };
}

// SAFETY: defers to the system allocator; only counts.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(l) };
        if !p.is_null() {
            let _ = LIVE.try_with(|c| {
                c.set(c.get() + l.size());
                let _ = PEAK.try_with(|p| p.set(p.get().max(c.get())));
            });
        }
        p
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        unsafe { System.dealloc(p, l) };
        let _ = LIVE.try_with(|c| c.set(c.get().saturating_sub(l.size())));
    }
}

#[global_allocator]
static A: Counting = Counting;

/// Runs `f` and checks it took under 1 s and under 100 MB (peak bytes
/// allocated by this thread above where it started).
pub fn bounded<T>(what: &str, f: impl FnOnce() -> T) -> T {
    let base = LIVE.with(Cell::get);
    PEAK.with(|p| p.set(base));
    let t = Instant::now();
    let out = f();
    let took = t.elapsed();
    let peak = PEAK.with(Cell::get) - base;
    assert!(took < Duration::from_secs(1), "{what}: {took:?}");
    assert!(peak < 100 << 20, "{what}: {} MB", peak >> 20);
    eprintln!("{what}: {took:?}, peak {} KB", peak >> 10);
    out
}
