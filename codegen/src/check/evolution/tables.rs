//! Table fields: matched by name (see [`super::matching`]), then compared one by one for type,
//! default and `(required)`. Binary readers find a field by its id, JSON readers by its name,
//! so both a changed id and a changed name break somebody.

use super::matching::{compare, Fate, Item};
use super::{default_text, type_name, Compat};
use crate::ir;

/// "1 field" / "3 fields", for messages about how many items a change drags along.
pub(super) fn count(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

fn items(t: &ir::Table) -> Vec<Item<'_>> {
    t.fields
        .iter()
        .map(|f| Item {
            name: &f.name,
            key: i128::from(f.id),
        })
        .collect()
}

impl Compat<'_> {
    pub(super) fn table(&mut self, ot: &ir::Table, nt: &ir::Table) {
        let (old, new) = (self.old, self.new);
        let renamable = |i: usize, j: usize| match (ot.fields.get(i), nt.fields.get(j)) {
            (Some(of), Some(nf)) => type_name(old, &of.ty) == type_name(new, &nf.ty),
            _ => false,
        };
        let m = compare(&items(ot), &items(nt), renamable, |k| k);
        for (of, fate) in ot.fields.iter().zip(&m.fates) {
            let nf = fate.new_index().and_then(|j| nt.fields.get(j));
            match (*fate, nf) {
                (Fate::Removed { shifted, reused_by }, _) => {
                    let mut msg =
                        format!("field `{}.{}` (id {}) was removed", ot.name, of.name, of.id);
                    if let Some(r) = reused_by.and_then(|j| nt.fields.get(j)) {
                        msg.push_str(&format!(
                            " and its id is now used by `{}: {}`",
                            r.name,
                            type_name(new, &r.ty)
                        ));
                    }
                    if shifted > 0 {
                        msg.push_str(&format!(
                            "; the ids of the {} after it change",
                            count(shifted, "field")
                        ));
                    }
                    if shifted > 0 || reused_by.is_some() {
                        msg.push_str(" (keep it and mark it `(deprecated)` instead)");
                    }
                    self.err(&of.loc, msg);
                    continue;
                }
                (_, None) => continue,
                (Fate::Renamed { .. }, Some(nf)) => self.err(
                    &nf.loc,
                    format!(
                        "field `{}.{}` (id {}) was renamed to `{}`",
                        ot.name, of.name, of.id, nf.name
                    ),
                ),
                (Fate::Moved { .. }, Some(nf)) => self.err(
                    &nf.loc,
                    format!(
                        "field `{}.{}` was reordered: its id changed from {} to {}",
                        nt.name, nf.name, of.id, nf.id
                    ),
                ),
                (Fate::Rekeyed { .. }, Some(nf)) => self.err(
                    &nf.loc,
                    format!(
                        "field `{}.{}` changed its id from {} to {}",
                        nt.name, nf.name, of.id, nf.id
                    ),
                ),
                (Fate::Kept { .. }, Some(_)) => {}
            }
            if let Some(nf) = nf {
                self.field_details(nt, of, nf);
            }
        }
        for ins in &m.inserted {
            let Some(nf) = nt.fields.get(ins.new) else {
                continue;
            };
            let msg = format!(
                "field `{}.{}` was inserted at id {}, changing the ids of {} after it: \
                 new fields must be appended at the end",
                nt.name,
                nf.name,
                nf.id,
                count(ins.shifted, "existing field")
            );
            self.err(&nf.loc, msg);
        }
    }

    /// The per-field checks once old and new are matched: type, default, `(required)`.
    fn field_details(&mut self, nt: &ir::Table, of: &ir::Field, nf: &ir::Field) {
        let what = format!("field `{}.{}`", nt.name, nf.name);
        let (o_ty, n_ty) = (type_name(self.old, &of.ty), type_name(self.new, &nf.ty));
        if o_ty != n_ty {
            self.err(
                &nf.loc,
                format!("{what} changed type from `{o_ty}` to `{n_ty}`"),
            );
            return;
        }
        let (o_def, n_def) = (default_text(&of.default), default_text(&nf.default));
        if o_def != n_def {
            self.err(
                &nf.loc,
                format!("{what} changed its default from {o_def} to {n_def}"),
            );
        }
        if nf.required && !of.required {
            self.err(
                &nf.loc,
                format!("{what} became (required): buffers from older writers may lack it"),
            );
        }
    }
}
