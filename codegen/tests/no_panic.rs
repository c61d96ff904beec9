//! The front end must never panic, whatever text it is given: arbitrary strings, and "token
//! soup" built from the schema language's own words and punctuation (which reaches far deeper
//! into the parser and resolver than random characters do).

use proptest::prelude::*;

const WORDS: &[&str] = &[
    "table",
    "struct",
    "enum",
    "union",
    "namespace",
    "include",
    "attribute",
    "root_type",
    "rpc_service",
    "file_identifier",
    "file_extension",
    "int",
    "ubyte",
    "bool",
    "string",
    "float",
    "long",
    "A",
    "B",
    "T",
    "U",
    "E",
    "x",
    "y",
    "id",
    "required",
    "deprecated",
    "key",
    "force_align",
    "bit_flags",
    "nan",
    "inf",
    "true",
    "false",
    "0",
    "1",
    "-1",
    "0x7F",
    "300",
    "1.5",
    "-2e9",
    "\"s\"",
    "\"AB\"",
    "{",
    "}",
    "(",
    ")",
    "[",
    "]",
    ";",
    ":",
    ",",
    "=",
    ".",
    "-",
    "/// doc\n",
    "// c\n",
    "/*",
    "*/",
    "\n",
    "\"",
    "\\",
];

fn soup() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(WORDS), 0..80).prop_map(|w| w.join(" "))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_never_panics(text in any::<String>()) {
        let _ = nanoipc_codegen::parse_schema_str("fuzz.fbs", &text);
    }

    #[test]
    fn token_soup_never_panics(text in soup()) {
        if let Err(e) = nanoipc_codegen::parse_schema_str("fuzz.fbs", &text) {
            // Rendering exercises the caret code on every diagnostic.
            prop_assert!(!e.to_string().is_empty());
        }
    }

    #[test]
    fn near_valid_schemas_never_panic(
        ty in prop::sample::select(&["int", "ubyte", "E", "S", "T", "U", "[E]", "[S]", "string", "float"][..]),
        default in prop::sample::select(&["", "= 0", "= -1", "= 256", "= A", "= nan", "= 1.5", "= true"][..]),
        attr in prop::sample::select(&["", "(required)", "(id: 0)", "(id: 1)", "(deprecated)", "(key)", "(x)"][..]),
    ) {
        let text = format!(
            "enum E : ubyte {{ A, B }} struct S {{ a: {ty}; }} table T {{ f: {ty} {default} {attr}; g: U; }} union U {{ T }} root_type T;"
        );
        let _ = nanoipc_codegen::parse_schema_str("fuzz.fbs", &text);
    }
}
