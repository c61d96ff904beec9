//! nano-node's `json_block` option for block fields (legacy-rpc §5.2): reading a `block` given
//! as a JSON string or (with `json_block`) as an object, and writing a block back the same way.

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
    if req.bool_option("json_block", false) {
        match node {
            Tree::Children(_) => block_from_tree(node),
            Tree::Text(_) => Err(invalid()),
        }
    } else {
        let text = req.text("block").unwrap_or_default();
        let inner = LegacyRequest::parse(text.as_bytes()).map_err(|_| invalid())?;
        block_from_tree(inner.tree())
    }
}

/// The block a property tree holds, read in place (no copy, no JSON value in between). A field
/// is its key's first text child (the property tree's lookup rule); a missing field, or one with
/// children, leaves the block invalid, as does a tree that is an array or a text.
fn block_from_tree(tree: &Tree) -> Result<Block, LegacyError> {
    Block::from_fields(|name| match tree.get(name)? {
        Tree::Text(text) => Some(text.as_str()),
        Tree::Children(_) => None,
    })
    .map_err(|_| invalid())
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
