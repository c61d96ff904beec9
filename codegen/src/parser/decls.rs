//! The declarations with bodies: types, tables and structs with their fields, enums and unions
//! with their values, and rpc services with their methods.

use super::{Bail, PResult, Parser, MAX_TYPE_NESTING};
use crate::ast::*;
use crate::lexer::Tok;

impl Parser<'_> {
    pub(super) fn type_ref(&mut self) -> PResult<TypeRef> {
        self.type_ref_at(0)
    }

    /// `depth` bounds `[[[…` nesting so that hostile input cannot exhaust the stack.
    fn type_ref_at(&mut self, depth: usize) -> PResult<TypeRef> {
        let loc = self.peek().loc.clone();
        if self.eat_punct('[') {
            if depth >= MAX_TYPE_NESTING {
                return self.fail(&loc, "type is nested too deeply");
            }
            let inner = self.type_ref_at(depth + 1)?;
            if self.eat_punct(':') {
                let len = self.literal()?;
                self.expect_punct(']')?;
                return Ok(TypeRef::Array(Box::new(inner), len, loc));
            }
            self.expect_punct(']')?;
            return Ok(TypeRef::Vector(Box::new(inner), loc));
        }
        Ok(TypeRef::Named(self.dotted("a type")?))
    }

    pub(super) fn type_decl(&mut self, doc: Vec<String>) -> PResult<Item> {
        let kw = self.next();
        let is_struct = kw.tok == Tok::Ident("struct".into());
        let name = self.ident("a name")?;
        let attrs = self.metadata()?;
        self.expect_punct('{')?;
        let mut fields = Vec::new();
        loop {
            // Take the doc first: `peek` skips (drops) doc tokens.
            let fdoc = self.take_doc();
            if self.at_punct('}') {
                break;
            }
            if self.peek().tok == Tok::Eof {
                return self.expected("`}`");
            }
            match self.field(fdoc) {
                Ok(f) => fields.push(f),
                Err(Bail) => self.recover_member(';'),
            }
        }
        self.expect_punct('}')?;
        Ok(Item::Type(TypeDecl {
            doc,
            is_struct,
            name,
            attrs,
            fields,
        }))
    }

    fn field(&mut self, doc: Vec<String>) -> PResult<FieldDecl> {
        let name = self.ident("a field name")?;
        self.expect_punct(':')?;
        let ty = self.type_ref()?;
        let default = if self.eat_punct('=') {
            Some(self.literal()?)
        } else {
            None
        };
        let attrs = self.metadata()?;
        self.expect_punct(';')?;
        Ok(FieldDecl {
            doc,
            name,
            ty,
            default,
            attrs,
        })
    }

    pub(super) fn enum_decl(&mut self, doc: Vec<String>) -> PResult<Item> {
        let kw = self.next();
        let is_union = kw.tok == Tok::Ident("union".into());
        let name = self.ident("a name")?;
        let underlying = if !is_union && self.eat_punct(':') {
            Some(self.dotted("an integer type")?)
        } else {
            None
        };
        let attrs = self.metadata()?;
        self.expect_punct('{')?;
        let mut values = Vec::new();
        loop {
            let vdoc = self.take_doc();
            if self.at_punct('}') {
                break;
            }
            if self.peek().tok == Tok::Eof {
                return self.expected("`}`");
            }
            match self.enum_val(vdoc, is_union) {
                Ok(v) => values.push(v),
                Err(Bail) => {
                    self.recover_member(',');
                    continue;
                }
            }
            if !self.eat_punct(',') && !self.at_punct('}') {
                let _ = self.expected::<()>("`,` or `}`");
                self.recover_member(',');
            }
        }
        self.expect_punct('}')?;
        Ok(Item::Enum(EnumDecl {
            doc,
            is_union,
            name,
            underlying,
            attrs,
            values,
        }))
    }

    fn enum_val(&mut self, doc: Vec<String>, is_union: bool) -> PResult<EnumValDecl> {
        let name = if is_union {
            self.dotted("a union member")?
        } else {
            self.ident("an enum value name")?
        };
        let ty = if is_union && self.eat_punct(':') {
            Some(self.dotted("a table name")?)
        } else {
            None
        };
        let value = if self.eat_punct('=') {
            Some(self.literal()?)
        } else {
            None
        };
        let attrs = self.metadata()?;
        Ok(EnumValDecl {
            doc,
            name,
            ty,
            value,
            attrs,
        })
    }

    pub(super) fn service(&mut self, doc: Vec<String>) -> PResult<Item> {
        self.next();
        let name = self.ident("a service name")?;
        let attrs = self.metadata()?;
        self.expect_punct('{')?;
        let mut methods = Vec::new();
        loop {
            let mdoc = self.take_doc();
            if self.at_punct('}') {
                break;
            }
            if self.peek().tok == Tok::Eof {
                return self.expected("`}`");
            }
            match self.method(mdoc) {
                Ok(m) => methods.push(m),
                Err(Bail) => self.recover_member(';'),
            }
        }
        self.expect_punct('}')?;
        Ok(Item::Service(ServiceDecl {
            doc,
            name,
            attrs,
            methods,
        }))
    }

    fn method(&mut self, doc: Vec<String>) -> PResult<RpcMethodDecl> {
        let name = self.ident("a method name")?;
        self.expect_punct('(')?;
        let request = self.dotted("a request table")?;
        self.expect_punct(')')?;
        self.expect_punct(':')?;
        let response = self.dotted("a response table")?;
        let attrs = self.metadata()?;
        self.expect_punct(';')?;
        Ok(RpcMethodDecl {
            doc,
            name,
            request,
            response,
            attrs,
        })
    }
}
