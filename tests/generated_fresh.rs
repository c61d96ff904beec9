//! `generated/` must be exactly what the generator makes from `schema/` today. On a mismatch the
//! files are rewritten and the test fails, naming the command that does the same, so the diff
//! shows up for review and commit.

use std::path::Path;

use nanoipc::schema::regen;

#[test]
fn generated_dir_is_fresh() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let stale = regen::regenerate(root).unwrap_or_else(|e| panic!("code generation failed:\n{e}"));
    assert!(
        stale.is_empty(),
        "generated/ was stale and has been rewritten: {}.\nRun `{}` and commit the result.",
        stale.join(", "),
        regen::REGENERATE_COMMAND
    );
}
