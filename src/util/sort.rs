//! The crate's one sort. Each instantiation of the standard library's sorts adds kilobytes of wasm;
//! this insertion sort adds a few dozen bytes per element type.

/// Stable insertion sort. Quadratic only in how far items are out of place, so callers keep lists
/// short (signed headers and query pairs, at most 64 backup files) or nearly sorted (upload parts,
/// which finish roughly in the order they were sent).
pub fn sort_small<T>(items: &mut [T], less: impl Fn(&T, &T) -> bool) {
    for i in 1..items.len() {
        let mut j = i;
        while let Some(prev) = j.checked_sub(1) {
            match (items.get(j), items.get(prev)) {
                (Some(a), Some(b)) if less(a, b) => items.swap(j, prev),
                _ => break,
            }
            j = prev;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_stably() {
        let mut items = [5, 3, 9, 1, 3, 0];
        sort_small(&mut items, |a, b| a < b);
        assert_eq!(items, [0, 1, 3, 3, 5, 9]);
        let mut pairs = [(2, 'a'), (1, 'b'), (2, 'c'), (1, 'd')];
        sort_small(&mut pairs, |a, b| a.0 < b.0);
        assert_eq!(pairs, [(1, 'b'), (1, 'd'), (2, 'a'), (2, 'c')]);
    }
}
