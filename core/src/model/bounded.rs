//! [`Bounded`]: a fixed-capacity list that counts what did not fit instead of
//! allocating or panicking.

/// A list of at most `N` values stored inline; pushes past capacity are counted in
/// [`Bounded::overflowed`] and otherwise dropped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Bounded<T: Copy, const N: usize> {
    items: [Option<T>; N],
    len: usize,
    overflowed: usize,
}

impl<T: Copy, const N: usize> Bounded<T, N> {
    /// An empty list.
    pub const fn new() -> Self {
        Bounded {
            items: [None; N],
            len: 0,
            overflowed: 0,
        }
    }

    /// Appends `value`; returns `false` (and counts it) when the list is full.
    pub fn push(&mut self, value: T) -> bool {
        match self.items.get_mut(self.len) {
            Some(slot) => {
                *slot = Some(value);
                self.len = self.len.saturating_add(1);
                true
            }
            None => {
                self.overflowed = self.overflowed.saturating_add(1);
                false
            }
        }
    }

    /// Removes every value (and the count of those that did not fit), writing only
    /// the slots that were in use.
    pub fn clear(&mut self) {
        self.rewind((0, 0));
    }

    /// Number of stored values.
    pub const fn len(&self) -> usize {
        self.len
    }

    /// True when nothing is stored.
    pub const fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The capacity `N`.
    pub const fn capacity(&self) -> usize {
        N
    }

    /// Where the list stands now, for [`Bounded::rewind`].
    pub(crate) const fn mark(&self) -> (usize, usize) {
        (self.len, self.overflowed)
    }

    /// Takes back every push since `mark` (stored values and counted overflow).
    pub(crate) fn rewind(&mut self, mark: (usize, usize)) {
        let (len, overflowed) = mark;
        if let Some(tail) = self.items.get_mut(len..self.len) {
            tail.fill(None);
        }
        self.len = self.len.min(len);
        self.overflowed = overflowed;
    }

    /// How many pushes did not fit.
    pub const fn overflowed(&self) -> usize {
        self.overflowed
    }

    /// The value at `index`, if stored.
    pub fn get(&self, index: usize) -> Option<&T> {
        self.items.get(index).and_then(Option::as_ref)
    }

    /// A mutable reference to the value at `index`, if stored.
    pub fn get_mut(&mut self, index: usize) -> Option<&mut T> {
        self.items.get_mut(index).and_then(Option::as_mut)
    }

    /// The stored values in insertion order.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &T> + '_ {
        self.items.iter().take(self.len).filter_map(Option::as_ref)
    }

    /// The stored values in insertion order, mutably.
    pub fn iter_mut(&mut self) -> impl Iterator<Item = &mut T> + '_ {
        self.items
            .iter_mut()
            .take(self.len)
            .filter_map(Option::as_mut)
    }

    /// Keeps only the values for which `keep` is true, in order.
    pub fn retain(&mut self, mut keep: impl FnMut(&T) -> bool) {
        let mut index = 0;
        // Bounded: each pass either advances or shortens the list.
        for _ in 0..N {
            let Some(value) = self.get(index) else {
                break;
            };
            if keep(value) {
                index = index.saturating_add(1);
            } else {
                self.remove(index);
            }
        }
    }

    /// Removes the value at `index`, shifting later values down.
    pub fn remove(&mut self, index: usize) -> Option<T> {
        if index >= self.len {
            return None;
        }
        let taken = self.items.get_mut(index).and_then(Option::take);
        if let Some(tail) = self.items.get_mut(index..self.len) {
            tail.rotate_left(1);
        }
        self.len = self.len.saturating_sub(1);
        taken
    }
}

impl<T: Copy, const N: usize> Default for Bounded<T, N> {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn push_past_capacity_counts() {
        let mut b: Bounded<u32, 2> = Bounded::new();
        assert!(b.push(1));
        assert!(b.push(2));
        assert!(!b.push(3));
        assert!(!b.push(4));
        assert_eq!(b.len(), 2);
        assert_eq!(b.overflowed(), 2);
        assert_eq!(b.iter().copied().sum::<u32>(), 3);
    }

    #[test]
    fn rewind_takes_back_pushes_and_overflow() {
        let mut b: Bounded<u32, 2> = Bounded::new();
        b.push(1);
        let mark = b.mark();
        for v in [2, 3, 4] {
            b.push(v);
        }
        assert_eq!((b.len(), b.overflowed()), (2, 2));
        b.rewind(mark);
        assert_eq!(b, {
            let mut want: Bounded<u32, 2> = Bounded::new();
            want.push(1);
            want
        });
    }

    #[test]
    fn clear_empties_like_new() {
        let mut b: Bounded<u32, 2> = Bounded::new();
        for v in [1, 2, 3] {
            b.push(v);
        }
        b.clear();
        assert_eq!(b, Bounded::new());
        assert!(b.push(4));
    }

    #[test]
    fn remove_shifts() {
        let mut b: Bounded<u32, 4> = Bounded::new();
        for v in [1, 2, 3] {
            b.push(v);
        }
        assert_eq!(b.remove(0), Some(1));
        assert!(b.iter().eq([2, 3].iter()));
        assert_eq!(b.remove(5), None);
        assert!(b.push(9));
        assert_eq!(b.get(2), Some(&9));
    }
}
