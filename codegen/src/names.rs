//! Name conversion for emitted Rust: case changes and keyword escaping.
//!
//! Every identifier an emitter writes goes through here, so a schema name that collides with a
//! Rust keyword (`type`, `match`, `self`) still produces code that compiles, and the same schema
//! name always maps to the same Rust name in every emitted file.

/// Rust keywords (strict and reserved, 2021 edition) that need a raw identifier.
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "dyn", "else", "enum", "extern", "false",
    "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref",
    "return", "static", "struct", "trait", "true", "type", "unsafe", "use", "where", "while",
    "abstract", "become", "box", "do", "final", "gen", "macro", "override", "priv", "try",
    "typeof", "unsized", "virtual", "yield",
];

/// Keywords that cannot be raw identifiers; these get a trailing underscore instead.
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Escapes a name so it is a valid Rust identifier in any position.
pub fn escape(name: &str) -> String {
    if NOT_RAW.contains(&name) {
        format!("{name}_")
    } else if KEYWORDS.contains(&name) {
        format!("r#{name}")
    } else {
        name.to_string()
    }
}

/// `AccountWeightResponse` → `account_weight_response`; `already_snake` stays as it is.
pub fn snake(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    let chars: Vec<char> = name.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if c.is_uppercase() {
            let prev = i.checked_sub(1).and_then(|p| chars.get(p)).copied();
            let next = chars.get(i + 1).copied();
            let boundary = match prev {
                None => false,
                Some(p) => {
                    p.is_lowercase()
                        || p.is_ascii_digit()
                        || (p.is_uppercase() && next.is_some_and(|n| n.is_lowercase()))
                }
            };
            if boundary && !out.ends_with('_') {
                out.push('_');
            }
            out.extend(c.to_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// `account_weight` → `ACCOUNT_WEIGHT`, for associated constants such as `VT_ACCOUNT`.
pub fn shouty(name: &str) -> String {
    snake(name).to_uppercase()
}

/// `voting_weight` → `VotingWeight`; used for names built from field names.
pub fn camel(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut up = true;
    for c in name.chars() {
        if c == '_' {
            up = true;
        } else if up {
            out.extend(c.to_uppercase());
            up = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// Snake-case method name, escaped (`Match` → `r#match`).
pub fn method(name: &str) -> String {
    escape(&snake(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_case_boundaries() {
        assert_eq!(snake("AccountWeightResponse"), "account_weight_response");
        assert_eq!(snake("IsAlive"), "is_alive");
        assert_eq!(snake("voting_weight"), "voting_weight");
        assert_eq!(snake("HTTPServer"), "http_server");
        assert_eq!(snake("Block2Open"), "block2_open");
    }

    #[test]
    fn keywords_are_escaped() {
        assert_eq!(escape("type"), "r#type");
        assert_eq!(escape("self"), "self_");
        assert_eq!(escape("account"), "account");
        assert_eq!(method("Match"), "r#match");
        assert_eq!(shouty("link_as_account"), "LINK_AS_ACCOUNT");
        assert_eq!(camel("voting_weight"), "VotingWeight");
    }
}
