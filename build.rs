//! Build configuration only: generate the schema bindings into OUT_DIR.
use std::path::{Path, PathBuf};

fn main() {
    println!("cargo:rerun-if-changed=schema/");
    println!("cargo:rerun-if-changed=build.rs");
    let schema =
        match nanoipc_codegen::load_schema(Path::new("schema/nanoapi.fbs"), "schema/nanoapi.fbs") {
            Ok(s) => s,
            // Located diagnostics (`file:line:col: error: …` and a caret), shown by cargo as is.
            Err(diagnostics) => panic!("schema/nanoapi.fbs has errors:\n{diagnostics}"),
        };
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    for file in nanoipc_codegen::generate(&schema) {
        let path = out_dir.join(&file.name);
        // Rewrite only on change, so dependants are not rebuilt for nothing.
        if std::fs::read_to_string(&path).ok().as_deref() != Some(file.contents.as_str()) {
            std::fs::write(&path, &file.contents).expect("write generated file to OUT_DIR");
        }
    }
}
