//! The order in which the files of an upload are sent and numbered: the stripe set's family order
//! when the check before the upload found it (the preflight's `filesInOrder`).

/// `items` in the order `order` gives as `(path, number)`, each renumbered; items `order` does not
/// name follow in their own order, numbers unchanged.
pub fn in_family_order<T, P: AsRef<str>>(
    mut items: Vec<T>,
    order: impl IntoIterator<Item = (P, i32)>,
    path: impl Fn(&T) -> &str,
    mut renumber: impl FnMut(&mut T, i32),
) -> Vec<T> {
    let mut ordered = Vec::with_capacity(items.len());
    for (wanted, number) in order {
        if let Some(at) = items.iter().position(|item| path(item) == wanted.as_ref()) {
            let mut item = items.remove(at);
            renumber(&mut item, number);
            ordered.push(item);
        }
    }
    ordered.append(&mut items);
    ordered
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_follow_the_family_order_and_take_its_numbers() {
        let files = vec![("a.bak", 1), ("b.bak", 2), ("c.bak", 3)];
        let ordered = in_family_order(files, [("c.bak", 1), ("a.bak", 2)], |f| f.0, |f, n| f.1 = n);
        assert_eq!(ordered, vec![("c.bak", 1), ("a.bak", 2), ("b.bak", 2)]);
        let unchanged = in_family_order(vec![("a.bak", 1)], Vec::<(String, i32)>::new(), |f| f.0, |f, n| f.1 = n);
        assert_eq!(unchanged, vec![("a.bak", 1)]);
        let unknown = in_family_order(vec![("a.bak", 1)], [("x.bak", 5)], |f| f.0, |f, n| f.1 = n);
        assert_eq!(unknown, vec![("a.bak", 1)]);
    }
}
