//! Enum values and union members: matched by name (see [`super::matching`]), keyed by their
//! numeric value or tag. The number is what the binary form stores and the name what JSON
//! stores, so renaming, removing, reordering or renumbering one each breaks a reader.

use super::matching::{compare, Fate, Item, Matching};
use super::tables::count;
use super::{table_name, Compat};
use crate::ir;

/// The position a key implies in an implicit numbering: bit index for `bit_flags` values.
fn ordinal(bit_flags: bool) -> impl Fn(i128) -> i128 {
    move |k| {
        if bit_flags && k > 0 && k.count_ones() == 1 {
            i128::from(k.trailing_zeros())
        } else {
            k
        }
    }
}

/// How one kind of member is named in messages: enum values have values, members have tags.
struct Words {
    item: &'static str,
    key: &'static str,
}

const ENUM: Words = Words {
    item: "enum value",
    key: "value",
};
const UNION: Words = Words {
    item: "union member",
    key: "tag",
};

/// A matched member: where the old one was, and the new one's name, key and location.
struct Member<'a> {
    name: &'a str,
    key: i128,
    loc: &'a ir::Location,
}

impl Compat<'_> {
    pub(super) fn enum_(&mut self, oe: &ir::Enum, ne: &ir::Enum) {
        if oe.underlying != ne.underlying {
            self.err(
                &ne.loc,
                format!(
                    "enum `{}` changed its underlying type from `{}` to `{}`",
                    ne.name,
                    oe.underlying.schema_name(),
                    ne.underlying.schema_name()
                ),
            );
        }
        if oe.bit_flags != ne.bit_flags {
            self.err(
                &ne.loc,
                format!("enum `{}` added or removed (bit_flags)", ne.name),
            );
        }
        let (old, new) = (enum_members(oe), enum_members(ne));
        let m = compare(
            &items(&old),
            &items(&new),
            |_, _| true,
            ordinal(ne.bit_flags),
        );
        self.members(&ENUM, &oe.name, &old, &new, &m, |_, _, _| {});
    }

    pub(super) fn union(&mut self, ou: &ir::Union, nu: &ir::Union) {
        let (old_s, new_s) = (self.old, self.new);
        // A member may be renamed along with its table (the old table is then gone too, which
        // is reported on its own); otherwise a rename must keep the table.
        let renamable = |i: usize, j: usize| match (ou.members.get(i), nu.members.get(j)) {
            (Some(om), Some(nm)) => {
                let (ot, nt) = (table_name(old_s, om.table), table_name(new_s, nm.table));
                ot == nt || !old_s.tables.iter().any(|t| t.name == nt)
            }
            _ => false,
        };
        let (old, new) = (union_members(ou), union_members(nu));
        let m = compare(&items(&old), &items(&new), renamable, |k| k);
        self.members(&UNION, &ou.name, &old, &new, &m, |c, i, j| {
            let (Some(om), Some(nm)) = (ou.members.get(i), nu.members.get(j)) else {
                return;
            };
            let (ot, nt) = (table_name(old_s, om.table), table_name(new_s, nm.table));
            if ot != nt && om.name == nm.name {
                c.err(
                    &nm.loc,
                    format!(
                        "union member `{}.{}` now holds table `{nt}` instead of `{ot}`",
                        nu.name, nm.name
                    ),
                );
            }
        });
    }

    /// Reports the outcome of matching one list of members; `details` runs on every pair that
    /// lives on (old index, new index) for kind-specific checks.
    fn members(
        &mut self,
        w: &Words,
        owner: &str,
        old: &[Member<'_>],
        new: &[Member<'_>],
        m: &Matching,
        details: impl Fn(&mut Self, usize, usize),
    ) {
        let Words { item, key } = w;
        for ((i, o), fate) in old.iter().enumerate().zip(&m.fates) {
            let n = fate.new_index().and_then(|j| new.get(j));
            match (*fate, n) {
                (Fate::Removed { shifted, reused_by }, _) => {
                    let mut msg = format!("{item} `{owner}.{}` was removed", o.name);
                    if let Some(r) = reused_by.and_then(|j| new.get(j)) {
                        msg.push_str(&format!(" and its {key} {} is now `{}`", o.key, r.name));
                    }
                    if shifted > 0 {
                        msg.push_str(&format!(
                            "; the {key}s of the {} after it change",
                            count(shifted, "member")
                        ));
                    }
                    if shifted > 0 || reused_by.is_some() {
                        msg.push_str(" (keep it: members may only be appended)");
                    }
                    self.err(o.loc, msg);
                }
                (_, None) | (Fate::Kept { .. }, _) => {}
                (Fate::Renamed { .. }, Some(n)) => self.err(
                    n.loc,
                    format!(
                        "{item} `{owner}.{}` ({key} {}) was renamed to `{}`",
                        o.name, o.key, n.name
                    ),
                ),
                (Fate::Moved { .. }, Some(n)) => self.err(
                    n.loc,
                    format!(
                        "{item} `{owner}.{}` was reordered: its {key} changed from {} to {}",
                        n.name, o.key, n.key
                    ),
                ),
                (Fate::Rekeyed { .. }, Some(n)) => self.err(
                    n.loc,
                    if w.key == "value" {
                        format!(
                            "{item} `{owner}.{}` changed from {} to {}",
                            n.name, o.key, n.key
                        )
                    } else {
                        format!(
                            "{item} `{owner}.{}` changed its {key} from {} to {}",
                            n.name, o.key, n.key
                        )
                    },
                ),
            }
            if let Some(j) = fate.new_index() {
                details(self, i, j);
            }
        }
        for ins in &m.inserted {
            let Some(n) = new.get(ins.new) else {
                continue;
            };
            let msg = format!(
                "{item} `{owner}.{}` was inserted with {key} {}, changing the {key}s of {} \
                 after it: new members must be appended at the end",
                n.name,
                n.key,
                count(ins.shifted, "existing member")
            );
            self.err(n.loc, msg);
        }
    }
}

fn items<'a>(members: &'a [Member<'a>]) -> Vec<Item<'a>> {
    members
        .iter()
        .map(|m| Item {
            name: m.name,
            key: m.key,
        })
        .collect()
}

fn enum_members(e: &ir::Enum) -> Vec<Member<'_>> {
    e.values
        .iter()
        .map(|v| Member {
            name: &v.name,
            key: v.value,
            loc: &v.loc,
        })
        .collect()
}

fn union_members(u: &ir::Union) -> Vec<Member<'_>> {
    u.members
        .iter()
        .map(|m| Member {
            name: &m.name,
            key: i128::from(m.tag),
            loc: &m.loc,
        })
        .collect()
}
