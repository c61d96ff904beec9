//! nano-node's JSON block form: rendering with its exact key order and parsing (reference §5).
//!
//! Rendering builds an ordered `serde_json::Map` (the crate enables `preserve_order`), so the
//! keys come out exactly as nano-node writes them. Parsing is pure over a `Value`.

use serde_json::{Map, Value};

use super::{
    Account, Amount, Block, BlockHash, ChangeBlock, Link, OpenBlock, PrimitiveError, ReceiveBlock,
    SendBlock, Signature, StateBlock, Work,
};

fn s(v: String) -> Value {
    Value::String(v)
}

impl Block {
    /// The block as nano-node renders it (`json_block: true`).
    pub fn to_json(&self) -> Value {
        let mut m = Map::new();
        m.insert("type".into(), s(self.block_type().name().into()));
        match self {
            Self::State(b) => {
                m.insert("account".into(), s(b.account.encode_address()));
                m.insert("previous".into(), s(b.previous.encode_hex()));
                m.insert(
                    "representative".into(),
                    s(b.representative.encode_address()),
                );
                m.insert("balance".into(), s(b.balance.encode_dec()));
                m.insert("link".into(), s(b.link.encode_hex()));
                m.insert(
                    "link_as_account".into(),
                    s(b.link.as_account().encode_address()),
                );
                m.insert("signature".into(), s(b.signature.encode_hex()));
                m.insert("work".into(), s(b.work.encode_hex()));
            }
            Self::Open(b) => {
                m.insert("source".into(), s(b.source.encode_hex()));
                m.insert(
                    "representative".into(),
                    s(b.representative.encode_address()),
                );
                m.insert("account".into(), s(b.account.encode_address()));
                m.insert("work".into(), s(b.work.encode_hex()));
                m.insert("signature".into(), s(b.signature.encode_hex()));
            }
            Self::Send(b) => {
                m.insert("previous".into(), s(b.previous.encode_hex()));
                m.insert("destination".into(), s(b.destination.encode_address()));
                m.insert("balance".into(), s(b.balance.encode_hex()));
                m.insert("work".into(), s(b.work.encode_hex()));
                m.insert("signature".into(), s(b.signature.encode_hex()));
            }
            Self::Receive(b) => {
                m.insert("previous".into(), s(b.previous.encode_hex()));
                m.insert("source".into(), s(b.source.encode_hex()));
                m.insert("work".into(), s(b.work.encode_hex()));
                m.insert("signature".into(), s(b.signature.encode_hex()));
            }
            Self::Change(b) => {
                m.insert("previous".into(), s(b.previous.encode_hex()));
                m.insert(
                    "representative".into(),
                    s(b.representative.encode_address()),
                );
                m.insert("work".into(), s(b.work.encode_hex()));
                m.insert("signature".into(), s(b.signature.encode_hex()));
            }
        }
        Value::Object(m)
    }

    /// The block as the pretty string nano-node embeds when `json_block` is false
    /// (4-space indentation, trailing newline, like boost's `write_json`).
    pub fn to_json_pretty(&self) -> String {
        let mut out = Vec::new();
        let fmt = serde_json::ser::PrettyFormatter::with_indent(b"    ");
        let mut ser = serde_json::Serializer::with_formatter(&mut out, fmt);
        // Serialising a Value into a Vec cannot fail.
        let _ = serde::Serialize::serialize(&self.to_json(), &mut ser);
        let mut text = String::from_utf8(out).unwrap_or_default();
        text.push('\n');
        text
    }

    /// The compact one-line JSON form (export files use it, one block per line).
    pub fn to_json_line(&self) -> String {
        self.to_json().to_string()
    }

    /// Parses nano-node's block JSON. `link_as_account` is ignored; `link` may be an address
    /// or hex; signature and work are required.
    pub fn from_json(value: &Value) -> Result<Self, PrimitiveError> {
        let obj = value
            .as_object()
            .ok_or(PrimitiveError::BlockJson("not an object"))?;
        Self::from_fields(|name| obj.get(name).and_then(Value::as_str))
    }

    /// Parses a block from its fields' texts, as [`Block::from_json`] reads them: `text(name)`
    /// is the field's string, `None` when missing or not a string (an error, naming the field).
    /// Lets a caller holding another document form (the legacy RPC's property tree) parse a
    /// block without first building a JSON value.
    pub fn from_fields<'a>(
        text: impl Fn(&'static str) -> Option<&'a str>,
    ) -> Result<Self, PrimitiveError> {
        let field = |name: &'static str| -> Result<&'a str, PrimitiveError> {
            text(name).ok_or(PrimitiveError::BlockJson(name))
        };
        let hash = |name: &'static str| {
            field(name)
                .and_then(|t| BlockHash::decode_hex(t).map_err(|_| PrimitiveError::BlockJson(name)))
        };
        let account = |name: &'static str| {
            field(name)
                .and_then(|t| Account::from_address(t).map_err(|_| PrimitiveError::BlockJson(name)))
        };
        let signature = field("signature").and_then(|t| {
            Signature::decode_hex(t).map_err(|_| PrimitiveError::BlockJson("signature"))
        })?;
        let work = field("work")
            .and_then(|t| Work::decode_hex(t).map_err(|_| PrimitiveError::BlockJson("work")))?;
        match field("type")? {
            "state" => {
                let link_text = field("link")?;
                let link = Account::from_address_or_hex(link_text)
                    .map(|a| Link(a.0))
                    .map_err(|_| PrimitiveError::BlockJson("link"))?;
                let balance = Amount::decode_dec(field("balance")?)
                    .map_err(|_| PrimitiveError::BlockJson("balance"))?;
                Ok(Self::State(StateBlock {
                    account: account("account")?,
                    previous: hash("previous")?,
                    representative: account("representative")?,
                    balance,
                    link,
                    signature,
                    work,
                }))
            }
            "open" => Ok(Self::Open(OpenBlock {
                source: hash("source")?,
                representative: account("representative")?,
                account: account("account")?,
                signature,
                work,
            })),
            "send" => Ok(Self::Send(SendBlock {
                previous: hash("previous")?,
                destination: account("destination")?,
                balance: Amount::decode_hex(field("balance")?)
                    .map_err(|_| PrimitiveError::BlockJson("balance"))?,
                signature,
                work,
            })),
            "receive" => Ok(Self::Receive(ReceiveBlock {
                previous: hash("previous")?,
                source: hash("source")?,
                signature,
                work,
            })),
            "change" => Ok(Self::Change(ChangeBlock {
                previous: hash("previous")?,
                representative: account("representative")?,
                signature,
                work,
            })),
            _ => Err(PrimitiveError::BlockJson("type")),
        }
    }

    /// Parses block JSON text.
    pub fn from_json_str(text: &str) -> Result<Self, PrimitiveError> {
        let value: Value =
            serde_json::from_str(text).map_err(|_| PrimitiveError::BlockJson("not JSON"))?;
        Self::from_json(&value)
    }
}

#[cfg(test)]
mod tests {
    use super::super::Network;
    use super::*;

    #[test]
    fn genesis_round_trips_in_order() {
        let g = Network::Dev.genesis_block().unwrap();
        assert_eq!(g.hash(), Network::Dev.genesis_hash());
        let keys: Vec<String> = g.to_json().as_object().unwrap().keys().cloned().collect();
        assert_eq!(
            keys,
            [
                "type",
                "source",
                "representative",
                "account",
                "work",
                "signature"
            ]
        );
        assert_eq!(Block::from_json_str(&g.to_json_line()).unwrap(), g);
        assert!(g
            .to_json_pretty()
            .starts_with("{\n    \"type\": \"open\",\n"));
        let bytes = g.to_bytes();
        let (b, rest) = Block::from_bytes(&bytes).unwrap();
        assert_eq!(b, g);
        assert!(rest.is_empty());
    }

    #[test]
    fn rejects_unknown_type_and_missing_fields() {
        assert!(Block::from_json_str(r#"{"type":"bogus","work":"0","signature":"0"}"#).is_err());
        assert!(Block::from_json_str(r#"{"type":"receive","previous":"00"}"#).is_err());
    }
}
