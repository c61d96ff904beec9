//! Recursive-descent parser from tokens to the [`ast`](crate::ast), following the official
//! FlatBuffers grammar (<https://flatbuffers.dev/grammar/>).
//!
//! After a syntax error the parser skips to a point where it can resume (the end of the field,
//! enum value or declaration) so that one run reports every independent error.

use crate::ast::*;
use crate::diagnostics::Diagnostic;
use crate::ir::Location;
use crate::lexer::{Tok, Token};

mod decls;

/// Deeper `[` nesting than this is reported (only one level is valid anyway).
const MAX_TYPE_NESTING: usize = 8;

/// A syntax error that has already been recorded; the caller recovers.
struct Bail;

type PResult<T> = Result<T, Bail>;

struct Parser<'a> {
    toks: &'a [Token],
    pos: usize,
    diags: &'a mut Vec<Diagnostic>,
}

/// Parses one file's tokens (which must end with `Eof`).
pub fn parse(name: &str, toks: &[Token], diags: &mut Vec<Diagnostic>) -> File {
    let mut p = Parser {
        toks,
        pos: 0,
        diags,
    };
    let items = p.file();
    File {
        name: name.to_string(),
        items,
    }
}

impl Parser<'_> {
    fn skip_docs(&mut self) {
        while matches!(self.toks.get(self.pos).map(|t| &t.tok), Some(Tok::Doc(_))) {
            self.pos += 1;
        }
    }

    /// Doc comment lines directly at the cursor (consumed).
    fn take_doc(&mut self) -> Vec<String> {
        let mut doc = Vec::new();
        while let Some(Tok::Doc(d)) = self.toks.get(self.pos).map(|t| &t.tok) {
            doc.push(d.clone());
            self.pos += 1;
        }
        doc
    }

    fn peek(&mut self) -> &Token {
        self.skip_docs();
        let last = self.toks.len().saturating_sub(1);
        &self.toks[self.pos.min(last)]
    }

    fn next(&mut self) -> Token {
        let t = self.peek().clone();
        if t.tok != Tok::Eof {
            self.pos += 1;
        }
        t
    }

    fn at_punct(&mut self, c: char) -> bool {
        self.peek().tok == Tok::Punct(c)
    }

    fn eat_punct(&mut self, c: char) -> bool {
        if self.at_punct(c) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn fail<T>(&mut self, loc: &Location, msg: impl Into<String>) -> PResult<T> {
        self.diags.push(Diagnostic::new(loc, msg));
        Err(Bail)
    }

    fn expected<T>(&mut self, what: &str) -> PResult<T> {
        let t = self.peek().clone();
        self.fail(
            &t.loc,
            format!("expected {what}, found {}", t.tok.describe()),
        )
    }

    fn expect_punct(&mut self, c: char) -> PResult<()> {
        if self.eat_punct(c) {
            Ok(())
        } else {
            self.expected(&format!("`{c}`"))
        }
    }

    fn ident(&mut self, what: &str) -> PResult<Ident> {
        let t = self.peek().clone();
        match t.tok {
            Tok::Ident(name) => {
                self.pos += 1;
                Ok(Ident { name, loc: t.loc })
            }
            _ => self.expected(what),
        }
    }

    /// `a.b.c`
    fn dotted(&mut self, what: &str) -> PResult<Ident> {
        let mut id = self.ident(what)?;
        while self.eat_punct('.') {
            let part = self.ident(what)?;
            id.name.push('.');
            id.name.push_str(&part.name);
        }
        Ok(id)
    }

    fn string(&mut self, what: &str) -> PResult<Literal> {
        let t = self.peek().clone();
        match t.tok {
            Tok::Str(text) => {
                self.pos += 1;
                Ok(Literal {
                    kind: LitKind::Str,
                    text,
                    loc: t.loc,
                })
            }
            _ => self.expected(what),
        }
    }

    /// A scalar or string constant, with an optional sign on numbers and identifiers (`-inf`).
    fn literal(&mut self) -> PResult<Literal> {
        let start = self.peek().loc.clone();
        let mut sign = String::new();
        if self.at_punct('-') || self.at_punct('+') {
            if let Tok::Punct(c) = self.next().tok {
                sign.push(c);
            }
        }
        let t = self.peek().clone();
        let (kind, text) = match t.tok {
            Tok::Int(s) => (LitKind::Int, s),
            Tok::Float(s) => (LitKind::Float, s),
            Tok::Ident(s) => (LitKind::Ident, s),
            Tok::Str(s) if sign.is_empty() => (LitKind::Str, s),
            _ => return self.expected("a value"),
        };
        self.pos += 1;
        Ok(Literal {
            kind,
            text: sign + &text,
            loc: start,
        })
    }

    /// `( name [: value], … )`, or nothing.
    fn metadata(&mut self) -> PResult<Vec<AttrUse>> {
        let mut attrs = Vec::new();
        if !self.eat_punct('(') {
            return Ok(attrs);
        }
        loop {
            let name = self.ident("an attribute name")?;
            let value = if self.eat_punct(':') {
                Some(self.literal()?)
            } else {
                None
            };
            attrs.push(AttrUse { name, value });
            if self.eat_punct(')') {
                return Ok(attrs);
            }
            self.expect_punct(',')?;
        }
    }

    fn file(&mut self) -> Vec<Item> {
        let mut items = Vec::new();
        loop {
            let doc = self.take_doc();
            let start = self.pos;
            let t = self.peek().clone();
            let res = match &t.tok {
                Tok::Eof => break,
                Tok::Ident(kw) => match kw.as_str() {
                    "include" | "native_include" => self.include(kw == "include", &mut items),
                    "namespace" => self.namespace().map(|i| items.push(i)),
                    "attribute" => self.attribute().map(|i| items.push(i)),
                    "table" | "struct" => self.type_decl(doc).map(|i| items.push(i)),
                    "enum" | "union" => self.enum_decl(doc).map(|i| items.push(i)),
                    "root_type" => self.root_type().map(|i| items.push(i)),
                    "file_identifier" | "file_extension" => {
                        self.file_string(kw == "file_identifier").map(|i| items.push(i))
                    }
                    "rpc_service" => self.service(doc).map(|i| items.push(i)),
                    _ => self.fail(
                        &t.loc,
                        format!("expected a declaration (table, struct, enum, union, namespace, include, attribute, root_type, rpc_service, …), found `{kw}`"),
                    ),
                },
                Tok::Punct('{') => self.fail(&t.loc, "JSON data inside a schema is not supported"),
                other => {
                    let d = other.describe();
                    self.fail(&t.loc, format!("expected a declaration, found {d}"))
                }
            };
            if res.is_err() {
                self.recover_top(start);
            }
        }
        items
    }

    /// Skips the rest of a broken top-level declaration: up to a `;` outside braces or the `}`
    /// that closes the declaration's body.
    fn recover_top(&mut self, start: usize) {
        let mut depth: i64 = 0;
        for t in &self.toks[start.min(self.toks.len())..self.pos.min(self.toks.len())] {
            match t.tok {
                Tok::Punct('{') => depth += 1,
                Tok::Punct('}') => depth -= 1,
                _ => {}
            }
        }
        // Always make progress, even when the error was at the first token.
        if self.pos == start {
            match self.next().tok {
                Tok::Punct('{') => depth += 1,
                Tok::Punct(';' | '}') => return,
                _ => {}
            }
        }
        loop {
            match self.peek().tok {
                Tok::Eof => return,
                Tok::Punct('{') => depth += 1,
                Tok::Punct('}') => {
                    depth -= 1;
                    if depth <= 0 {
                        self.pos += 1;
                        return;
                    }
                }
                Tok::Punct(';') if depth <= 0 => {
                    self.pos += 1;
                    return;
                }
                _ => {}
            }
            self.pos += 1;
        }
    }

    /// Inside a `{ … }` body: skip to just after the next `;` or `,`, or to (not past) the `}`.
    fn recover_member(&mut self, stop: char) {
        loop {
            match self.peek().tok {
                Tok::Eof | Tok::Punct('}') => return,
                Tok::Punct(c) if c == stop => {
                    self.pos += 1;
                    return;
                }
                _ => self.pos += 1,
            }
        }
    }

    fn include(&mut self, keep: bool, items: &mut Vec<Item>) -> PResult<()> {
        let kw = self.next();
        let path = self.string("a file name in quotes")?;
        self.expect_punct(';')?;
        // As in flatc: includes form a header; anything else (even `namespace`) ends it.
        if items.iter().any(|i| !matches!(i, Item::Include(_))) {
            return self.fail(&kw.loc, "includes must come before declarations");
        }
        if keep {
            items.push(Item::Include(path));
        }
        Ok(())
    }

    fn namespace(&mut self) -> PResult<Item> {
        let kw = self.next();
        let mut parts = Vec::new();
        if !self.at_punct(';') {
            let id = self.dotted("a namespace name")?;
            parts = id.name.split('.').map(str::to_string).collect();
        }
        self.expect_punct(';')?;
        Ok(Item::Namespace(parts, kw.loc))
    }

    fn attribute(&mut self) -> PResult<Item> {
        self.next();
        let t = self.peek().clone();
        let lit = match t.tok {
            Tok::Str(_) => self.string("an attribute name")?,
            Tok::Ident(_) => {
                let id = self.ident("an attribute name")?;
                Literal {
                    kind: LitKind::Ident,
                    text: id.name,
                    loc: id.loc,
                }
            }
            _ => return self.expected("an attribute name in quotes"),
        };
        self.expect_punct(';')?;
        Ok(Item::Attribute(lit))
    }

    fn root_type(&mut self) -> PResult<Item> {
        self.next();
        let id = self.dotted("a table name")?;
        self.expect_punct(';')?;
        Ok(Item::RootType(id))
    }

    fn file_string(&mut self, ident: bool) -> PResult<Item> {
        self.next();
        let lit = self.string("a string")?;
        self.expect_punct(';')?;
        Ok(if ident {
            Item::FileIdentifier(lit)
        } else {
            Item::FileExtension(lit)
        })
    }
}
