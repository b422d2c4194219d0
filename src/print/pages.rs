//! Pages prepared in parallel and drawn in order: the expensive part of a page — its SVG
//! (QR code, text wrapping) and the parsed tree (font look-up and text layout) — is made on
//! every core a few pages ahead, while the calling thread draws the pages made before into
//! the one PDF document (krilla's document is written by one thread). Only a small window of
//! pages is held at a time, never the whole document's.

use std::ops::Range;

use super::PrintError;

/// Pages prepared per worker and window: enough to keep the workers busy while the previous
/// window is drawn, few enough that a window of parsed pages stays small.
const PAGES_PER_WORKER: usize = 6;

/// Threads preparing pages: one per core, at least one.
fn workers() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, 8)
}

/// Prepares pages `0..count` with `prepare` on all cores, a window at a time, and hands each
/// to `draw` in page order on the calling thread. The first error stops the work.
pub(super) fn in_order<T, P, D>(count: usize, prepare: P, mut draw: D) -> Result<(), PrintError>
where
    T: Send,
    P: Fn(usize) -> Result<T, PrintError> + Sync,
    D: FnMut(usize, T) -> Result<(), PrintError>,
{
    let workers = workers();
    let window = workers * PAGES_PER_WORKER;
    let prepare = &prepare;
    std::thread::scope(|scope| {
        let next_window = |start: usize| {
            let range = start..(start + window).min(count);
            scope.spawn(move || prepare_window(range, workers, prepare))
        };
        let mut pending = (count > 0).then(|| next_window(0));
        let mut start = 0;
        while let Some(preparing) = pending.take() {
            let pages = preparing
                .join()
                .map_err(|_| PrintError::Pdf("a page could not be prepared".into()))??;
            let end = start + pages.len();
            if end < count {
                pending = Some(next_window(end));
            }
            for (offset, page) in pages.into_iter().enumerate() {
                draw(start + offset, page)?;
            }
            start = end;
        }
        Ok(())
    })
}

/// The pages of `range`, prepared by `workers` threads (page `i` by worker `i % workers`).
fn prepare_window<T, P>(
    range: Range<usize>,
    workers: usize,
    prepare: &P,
) -> Result<Vec<T>, PrintError>
where
    T: Send,
    P: Fn(usize) -> Result<T, PrintError> + Sync,
{
    let workers = workers.min(range.len()).max(1);
    let parts: Vec<Result<Vec<T>, PrintError>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|worker| {
                let range = range.clone();
                scope.spawn(move || {
                    range
                        .skip(worker)
                        .step_by(workers)
                        .map(prepare)
                        .collect::<Result<Vec<T>, PrintError>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|handle| {
                handle
                    .join()
                    .map_err(|_| PrintError::Pdf("a page could not be prepared".into()))?
            })
            .collect()
    });
    let mut parts = parts
        .into_iter()
        .map(|part| part.map(Vec::into_iter))
        .collect::<Result<Vec<_>, PrintError>>()?;
    // Interleave back into page order.
    let mut pages = Vec::with_capacity(range.len());
    for index in 0..range.len() {
        let page = parts[index % workers]
            .next()
            .ok_or_else(|| PrintError::Pdf("a page went missing".into()))?;
        pages.push(page);
    }
    Ok(pages)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_arrive_in_order_once_each() {
        for count in [0, 1, 5, 37, 100] {
            let mut seen = Vec::new();
            in_order(
                count,
                |i| Ok(i * 10),
                |i, page| {
                    assert_eq!(page, i * 10);
                    seen.push(i);
                    Ok(())
                },
            )
            .expect("drawn");
            assert_eq!(seen, (0..count).collect::<Vec<_>>());
        }
    }

    #[test]
    fn the_first_error_stops() {
        let result = in_order(
            50,
            |i| {
                if i == 20 {
                    Err(PrintError::Draw { index: i })
                } else {
                    Ok(i)
                }
            },
            |_, _| Ok(()),
        );
        assert!(matches!(result, Err(PrintError::Draw { index: 20 })));
    }
}
