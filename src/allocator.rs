//! The allocator's settings. The service allocates with mimalloc (`main.rs`), which by
//! default keeps freed memory for a second (ten for whole arenas) before it gives it back to
//! the system. Drawing a PDF frees many megabytes at once, and with that delay a
//! badge-sheet drawing left the process about 100 MiB larger than with memory given back at
//! once, for no measurable speed (both measured by `cargo bench --bench load`). An operator's
//! `MIMALLOC_PURGE_DELAY` still wins.

/// mimalloc's `mi_option_purge_delay` (its position in `mi_option_e` of mimalloc 3).
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Gives freed memory back to the system at once, unless `MIMALLOC_PURGE_DELAY` says
/// otherwise. Call first in `main`.
pub fn return_freed_memory_at_once() {
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // SAFETY: sets one integer option; called at start, before other threads exist.
        unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, 0) };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn freed_memory_goes_back_at_once() {
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
            return;
        }
        // SAFETY: reads one integer option.
        let default = unsafe { libmimalloc_sys::mi_option_get(PURGE_DELAY) };
        assert_eq!(
            default, 1000,
            "mimalloc 3's purge delay is at this position"
        );
        return_freed_memory_at_once();
        // SAFETY: as above.
        assert_eq!(unsafe { libmimalloc_sys::mi_option_get(PURGE_DELAY) }, 0);
    }
}
