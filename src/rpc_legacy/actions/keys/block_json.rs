//! nano-node's `json_block` option for block fields (legacy-rpc §5.2): reading a `block` given
//! as a JSON string or (with `json_block`) as an object, and writing a block back the same way.

use serde_json::{Map, Value};

use crate::ledger::primitives::Block;
use crate::rpc_legacy::request::LegacyRequest;
use crate::rpc_legacy::tree::Tree;
use crate::rpc_legacy::LegacyError;

fn invalid() -> LegacyError {
    LegacyError::message("Block is invalid")
}

/// Reads the `block` field as nano-node's `block_impl` does: missing is `Unable to parse JSON`;
/// with `json_block` it must be an object, without it a string holding block JSON (which nano-node
/// parses as a property tree too, so numbers inside it read as their text); anything else, and
/// any missing or malformed block field, is `Block is invalid`.
pub(super) fn read_block(req: &LegacyRequest) -> Result<Block, LegacyError> {
    let node = req.get("block").ok_or(LegacyError::UnableToParse)?;
    let tree = if req.bool_option("json_block", false) {
        match node {
            Tree::Children(_) => node.clone(),
            Tree::Text(_) => return Err(invalid()),
        }
    } else {
        let text = req.text("block").unwrap_or_default();
        LegacyRequest::parse(text.as_bytes())
            .map_err(|_| invalid())?
            .tree()
            .clone()
    };
    Block::from_json(&tree_to_value(&tree)).map_err(|_| invalid())
}

/// A property tree as JSON: text as strings, children with empty keys as an array, others as an
/// object where the first of duplicate keys wins (the property tree's lookup rule).
fn tree_to_value(tree: &Tree) -> Value {
    match tree {
        Tree::Text(t) => Value::String(t.clone()),
        Tree::Children(c) if !c.is_empty() && c.iter().all(|(k, _)| k.is_empty()) => {
            Value::Array(c.iter().map(|(_, v)| tree_to_value(v)).collect())
        }
        Tree::Children(c) => {
            let mut m = Map::new();
            for (k, v) in c {
                if !m.contains_key(k) {
                    m.insert(k.clone(), tree_to_value(v));
                }
            }
            Value::Object(m)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::primitives::Network;

    fn request(body: &str) -> LegacyRequest {
        LegacyRequest::parse(body.as_bytes()).unwrap()
    }

    #[test]
    fn string_and_object_forms_and_their_mismatch() {
        let genesis = Network::Dev.genesis_block().unwrap();
        let object = genesis.to_json_line();
        let string = serde_json::to_string(&genesis.to_json_line()).unwrap();
        let as_string = request(&format!(r#"{{"block":{string}}}"#));
        assert_eq!(read_block(&as_string).unwrap(), genesis);
        let as_object = request(&format!(r#"{{"json_block":"true","block":{object}}}"#));
        assert_eq!(read_block(&as_object).unwrap(), genesis);
        for body in [
            format!(r#"{{"block":{object}}}"#),
            format!(r#"{{"json_block":true,"block":{string}}}"#),
            r#"{"block":"not json"}"#.to_owned(),
        ] {
            assert_eq!(
                read_block(&request(&body)).unwrap_err(),
                invalid(),
                "{body}"
            );
        }
        assert_eq!(
            read_block(&request("{}")).unwrap_err(),
            LegacyError::UnableToParse
        );
    }

    #[test]
    fn answers_in_both_forms() {
        let genesis = Network::Dev.genesis_block().unwrap();
        let Tree::Text(text) = crate::rpc_legacy::actions::block_contents(&genesis, false) else {
            panic!("a string")
        };
        assert!(text.starts_with("{\n    \"type\": \"open\",\n    \"source\": "));
        assert!(text.ends_with("\"\n}\n"));
        assert_eq!(
            crate::rpc_legacy::actions::block_contents(&genesis, true).get("type"),
            Some(&Tree::text("open"))
        );
    }
}
