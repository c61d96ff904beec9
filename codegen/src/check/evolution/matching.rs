//! Matching an old list of keyed, named items (table fields by id, enum values by value, union
//! members by tag) against its new version, so that every problem is reported once.
//!
//! Items are matched by *name* first, because a name is what a user edits: matching by key
//! alone turns one removed field into a cascade of "renamed"/"reordered" complaints about every
//! field after it. The shift of keys that follows a removal or an insertion is a consequence of
//! that one edit, so it is folded into the removal's or insertion's message. Only items whose
//! relative order really changed are called moved: those outside some longest run of items that
//! kept their order (so swapping two items blames both, moving one item blames only it).

use std::collections::{HashMap, HashSet};

/// One item of a list as the matcher sees it.
pub(super) struct Item<'a> {
    pub name: &'a str,
    /// The wire identity: field id, enum value or union tag.
    pub key: i128,
}

/// What became of one old item. Indices are into the slices given to [`compare`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Fate {
    /// Same name, same key (or a key change fully explained by other reported edits).
    Kept { new: usize },
    /// Same name, but its order relative to the other items changed.
    Moved { new: usize },
    /// Same name and order, but its key changed without a removal or insertion to explain it.
    Rekeyed { new: usize },
    /// Gone by name, and exactly one new, compatible name sits at its key.
    Renamed { new: usize },
    /// Gone. `shifted` counts the later items whose key changed with it; `reused_by` is a new
    /// item that took its key without being a rename (e.g. of another type).
    Removed {
        shifted: usize,
        reused_by: Option<usize>,
    },
}

impl Fate {
    /// The matching new item, when the old one lives on (under its name or a new one).
    pub fn new_index(self) -> Option<usize> {
        match self {
            Fate::Kept { new } | Fate::Moved { new } | Fate::Rekeyed { new } => Some(new),
            Fate::Renamed { new } => Some(new),
            Fate::Removed { .. } => None,
        }
    }
}

/// A new item that is not an append: it shifts the keys of `shifted` existing items. (A new
/// item that merely takes a removed item's key is reported with that removal instead.)
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Insert {
    pub new: usize,
    pub shifted: usize,
}

/// The result of [`compare`]: one fate per old item (in the old slice's order) and the new
/// items that break compatibility by being inserted rather than appended.
pub(super) struct Matching {
    pub fates: Vec<Fate>,
    pub inserted: Vec<Insert>,
}

/// Indices of `items` sorted by key, and each item's rank in that order.
fn ranks(items: &[Item<'_>]) -> (Vec<usize>, Vec<usize>) {
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by_key(|&i| (items.get(i).map(|x| x.key), i));
    let mut rank = vec![0; items.len()];
    for (r, &i) in order.iter().enumerate() {
        if let Some(slot) = rank.get_mut(i) {
            *slot = r;
        }
    }
    (order, rank)
}

/// For a sequence of distinct numbers, marks the elements that belong to *every* longest
/// increasing subsequence. An element in some but not all of them (one of two swapped items)
/// or in none (an item moved past others) is considered moved.
fn in_every_lis(seq: &[usize]) -> Vec<bool> {
    // Length of the longest increasing run ending at each element (scanning forwards), and
    // starting at each element (scanning backwards). Quadratic, but lists are short.
    let mut ending: Vec<usize> = Vec::with_capacity(seq.len());
    for &x in seq {
        let best = seq
            .iter()
            .zip(&ending)
            .filter(|&(&y, _)| y < x)
            .map(|(_, &e)| e)
            .max();
        ending.push(best.unwrap_or(0) + 1);
    }
    let mut starting: Vec<usize> = Vec::with_capacity(seq.len());
    for &x in seq.iter().rev() {
        let best = seq
            .iter()
            .rev()
            .zip(&starting)
            .filter(|&(&y, _)| y > x)
            .map(|(_, &s)| s)
            .max();
        starting.push(best.unwrap_or(0) + 1);
    }
    starting.reverse();
    let longest = ending.iter().copied().max().unwrap_or(0);
    // An element is on some longest run when the runs through it add up to the longest; it is
    // on every one when no other such element can take its place (same length so far).
    let on_some: Vec<Option<usize>> = ending
        .iter()
        .zip(&starting)
        .map(|(&e, &s)| (e + s == longest + 1).then_some(e))
        .collect();
    let mut per_length: HashMap<usize, usize> = HashMap::new();
    for e in on_some.iter().flatten() {
        *per_length.entry(*e).or_default() += 1;
    }
    on_some
        .iter()
        .map(|e| e.is_some_and(|e| per_length.get(&e) == Some(&1)))
        .collect()
}

/// Matches `old` against `new`. `renamable(o, n)` says whether new item `n` may be the old
/// item `o` under another name (for fields: same type). `ordinal` maps a key to its position
/// in an implicit numbering (identity, or the bit index for `bit_flags` enums), so that a key
/// that moved along with its position counts as a shift, not as a change of its own.
pub(super) fn compare(
    old: &[Item<'_>],
    new: &[Item<'_>],
    renamable: impl Fn(usize, usize) -> bool,
    ordinal: impl Fn(i128) -> i128,
) -> Matching {
    let (old_order, old_rank) = ranks(old);
    let (_, new_rank) = ranks(new);
    let new_by_name: HashMap<&str, usize> =
        new.iter().enumerate().map(|(j, n)| (n.name, j)).collect();
    let old_names: HashSet<&str> = old.iter().map(|o| o.name).collect();
    let new_by_key: HashMap<i128, Vec<usize>> =
        new.iter()
            .enumerate()
            .fold(HashMap::new(), |mut m, (j, n)| {
                m.entry(n.key).or_insert_with(Vec::new).push(j);
                m
            });
    let key_of = |items: &[Item<'_>], i: usize| items.get(i).map_or(0, |x| x.key);

    // Pairs kept by name, in old key order, and which of them changed their relative order.
    let common: Vec<(usize, usize)> = old_order
        .iter()
        .filter_map(|&i| {
            let name = old.get(i)?.name;
            new_by_name.get(name).map(|&j| (i, j))
        })
        .collect();
    let seq: Vec<usize> = common
        .iter()
        .map(|&(_, j)| new_rank.get(j).copied().unwrap_or(0))
        .collect();
    let stays = in_every_lis(&seq);
    let rekeyed = |i: usize, j: usize| key_of(old, i) != key_of(new, j);

    let mut fates: Vec<Option<Fate>> = vec![None; old.len()];
    for (&(i, j), &stays) in common.iter().zip(&stays) {
        let fate = if !rekeyed(i, j) {
            Fate::Kept { new: j }
        } else if !stays {
            Fate::Moved { new: j }
        } else {
            let by_key = ordinal(key_of(new, j)) - ordinal(key_of(old, i));
            let by_rank = new_rank.get(j).copied().unwrap_or(0) as i128
                - old_rank.get(i).copied().unwrap_or(0) as i128;
            if by_key == by_rank {
                Fate::Kept { new: j }
            } else {
                Fate::Rekeyed { new: j }
            }
        };
        if let Some(slot) = fates.get_mut(i) {
            *slot = Some(fate);
        }
    }

    // Old names that are gone: renamed in place, or removed (shifting what follows).
    let shifted_after = |from_old: Option<i128>, from_new: Option<i128>| {
        common
            .iter()
            .filter(|&&(i, j)| {
                rekeyed(i, j)
                    && from_old.is_none_or(|k| key_of(old, i) > k)
                    && from_new.is_none_or(|k| key_of(new, j) > k)
            })
            .count()
    };
    let mut rename_targets = HashSet::new();
    let mut reused = HashMap::new();
    for (i, o) in old.iter().enumerate() {
        if new_by_name.contains_key(o.name) {
            continue;
        }
        let at_key: Vec<usize> = new_by_key
            .get(&o.key)
            .map(|v| {
                v.iter()
                    .copied()
                    .filter(|&j| new.get(j).is_some_and(|n| !old_names.contains(n.name)))
                    .collect()
            })
            .unwrap_or_default();
        let fate = match at_key.as_slice() {
            [j] if renamable(i, *j) => {
                rename_targets.insert(*j);
                Fate::Renamed { new: *j }
            }
            other => {
                let reused_by = other.first().copied();
                if let Some(j) = reused_by {
                    reused.insert(j, i);
                }
                Fate::Removed {
                    shifted: shifted_after(Some(o.key), None),
                    reused_by,
                }
            }
        };
        if let Some(slot) = fates.get_mut(i) {
            *slot = Some(fate);
        }
    }

    // New names that are not appends: they shift the keys of existing items.
    let mut inserted = Vec::new();
    for (j, n) in new.iter().enumerate() {
        if old_names.contains(n.name) || rename_targets.contains(&j) || reused.contains_key(&j) {
            continue;
        }
        let shifted = shifted_after(None, Some(n.key));
        if shifted > 0 {
            inserted.push(Insert { new: j, shifted });
        }
    }
    let fates = fates
        .into_iter()
        .map(|f| {
            f.unwrap_or(Fate::Removed {
                shifted: 0,
                reused_by: None,
            })
        })
        .collect();
    Matching { fates, inserted }
}
