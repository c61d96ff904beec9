//! Turns .fbs text into tokens with 1-based line/column positions.
//!
//! `///` doc comments become tokens (the parser attaches them to the next declaration); `//` and
//! `/* */` comments and whitespace are dropped. Signs are separate tokens so that the parser
//! decides where a negative number is allowed. Bad input produces a diagnostic and lexing goes
//! on, so a stray character does not hide later errors.

use crate::diagnostics::Diagnostic;
use crate::ir::Location;

#[derive(Debug, Clone, PartialEq)]
pub enum Tok {
    Ident(String),
    /// Integer literal text as written (decimal or `0x` hex), without sign.
    Int(String),
    /// Float literal text as written, without sign.
    Float(String),
    /// String literal, unescaped.
    Str(String),
    /// One `///` line, without the slashes and one following space.
    Doc(String),
    /// One of `{ } ( ) [ ] ; : , = . - +`.
    Punct(char),
    Eof,
}

#[derive(Debug, Clone)]
pub struct Token {
    pub tok: Tok,
    pub loc: Location,
}

impl Tok {
    /// How the token reads in an error message.
    pub fn describe(&self) -> String {
        match self {
            Tok::Ident(s) => format!("`{s}`"),
            Tok::Int(s) | Tok::Float(s) => format!("number `{s}`"),
            Tok::Str(_) => "a string".to_string(),
            Tok::Doc(_) => "a doc comment".to_string(),
            Tok::Punct(c) => format!("`{c}`"),
            Tok::Eof => "end of file".to_string(),
        }
    }
}

struct Lexer<'a> {
    chars: Vec<char>,
    pos: usize,
    line: u32,
    col: u32,
    file: &'a str,
    diags: &'a mut Vec<Diagnostic>,
}

impl Lexer<'_> {
    fn peek_at(&self, ahead: usize) -> Option<char> {
        self.chars.get(self.pos + ahead).copied()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.chars.get(self.pos).copied()?;
        self.pos += 1;
        if c == '\n' {
            self.line = self.line.saturating_add(1);
            self.col = 1;
        } else {
            self.col = self.col.saturating_add(1);
        }
        Some(c)
    }

    fn loc(&self) -> Location {
        Location {
            file: self.file.to_string(),
            line: self.line,
            col: self.col,
        }
    }

    fn error(&mut self, loc: &Location, msg: impl Into<String>) {
        self.diags.push(Diagnostic::new(loc, msg));
    }

    fn run(mut self) -> Vec<Token> {
        let mut out = Vec::new();
        while let Some(c) = self.peek_at(0) {
            let loc = self.loc();
            if c.is_whitespace() {
                self.bump();
            } else if c == '/' && self.peek_at(1) == Some('/') {
                self.line_comment(loc, &mut out);
            } else if c == '/' && self.peek_at(1) == Some('*') {
                self.block_comment(loc);
            } else if c.is_ascii_alphabetic() || c == '_' {
                let mut s = String::new();
                while let Some(c) = self.peek_at(0) {
                    if c.is_ascii_alphanumeric() || c == '_' {
                        s.push(c);
                        self.bump();
                    } else {
                        break;
                    }
                }
                out.push(Token {
                    tok: Tok::Ident(s),
                    loc,
                });
            } else if c.is_ascii_digit()
                || (c == '.' && self.peek_at(1).is_some_and(|d| d.is_ascii_digit()))
            {
                if let Some(tok) = self.number(&loc) {
                    out.push(Token { tok, loc });
                }
            } else if c == '"' {
                if let Some(s) = self.string(&loc) {
                    out.push(Token {
                        tok: Tok::Str(s),
                        loc,
                    });
                }
            } else if "{}()[];:,=.-+".contains(c) {
                self.bump();
                out.push(Token {
                    tok: Tok::Punct(c),
                    loc,
                });
            } else {
                self.bump();
                self.error(&loc, format!("unexpected character `{}`", c.escape_debug()));
            }
        }
        out.push(Token {
            tok: Tok::Eof,
            loc: self.loc(),
        });
        out
    }

    fn line_comment(&mut self, loc: Location, out: &mut Vec<Token>) {
        let mut text = String::new();
        while let Some(c) = self.peek_at(0) {
            if c == '\n' {
                break;
            }
            text.push(c);
            self.bump();
        }
        // `///` is documentation; `////…` (a ruler) and `//` are plain comments.
        if let Some(rest) = text.strip_prefix("///") {
            if !rest.starts_with('/') {
                let rest = rest.strip_prefix(' ').unwrap_or(rest);
                out.push(Token {
                    tok: Tok::Doc(rest.trim_end_matches('\r').to_string()),
                    loc,
                });
            }
        }
    }

    fn block_comment(&mut self, loc: Location) {
        self.bump();
        self.bump();
        loop {
            match self.bump() {
                None => {
                    self.error(&loc, "unterminated block comment");
                    return;
                }
                Some('*') if self.peek_at(0) == Some('/') => {
                    self.bump();
                    return;
                }
                Some(_) => {}
            }
        }
    }

    fn number(&mut self, loc: &Location) -> Option<Tok> {
        let mut s = String::new();
        let is_hex = self.peek_at(0) == Some('0') && matches!(self.peek_at(1), Some('x' | 'X'));
        let mut is_float = false;
        if is_hex {
            s.push('0');
            s.push('x');
            self.bump();
            self.bump();
            while let Some(c) = self.peek_at(0).filter(|c| c.is_ascii_hexdigit()) {
                s.push(c);
                self.bump();
            }
            if s.len() == 2 {
                self.error(loc, "hexadecimal number has no digits");
                return None;
            }
        } else {
            self.digits(&mut s);
            if self.peek_at(0) == Some('.') {
                is_float = true;
                s.push('.');
                self.bump();
                self.digits(&mut s);
            }
            if matches!(self.peek_at(0), Some('e' | 'E')) {
                let sign = matches!(self.peek_at(1), Some('+' | '-'));
                let digit_at = if sign { 2 } else { 1 };
                if self.peek_at(digit_at).is_some_and(|c| c.is_ascii_digit()) {
                    is_float = true;
                    for _ in 0..digit_at {
                        if let Some(c) = self.bump() {
                            s.push(c);
                        }
                    }
                    self.digits(&mut s);
                }
            }
        }
        if self
            .peek_at(0)
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
        {
            while let Some(c) = self
                .peek_at(0)
                .filter(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '.')
            {
                s.push(c);
                self.bump();
            }
            self.error(loc, format!("invalid number `{s}`"));
            return None;
        }
        Some(if is_float { Tok::Float(s) } else { Tok::Int(s) })
    }

    fn digits(&mut self, s: &mut String) {
        while let Some(c) = self.peek_at(0).filter(|c| c.is_ascii_digit()) {
            s.push(c);
            self.bump();
        }
    }

    fn string(&mut self, loc: &Location) -> Option<String> {
        self.bump();
        let mut s = String::new();
        loop {
            let here = self.loc();
            match self.bump() {
                None | Some('\n') => {
                    self.error(loc, "unterminated string");
                    return None;
                }
                Some('"') => return Some(s),
                Some('\\') => match self.bump() {
                    Some('n') => s.push('\n'),
                    Some('t') => s.push('\t'),
                    Some('r') => s.push('\r'),
                    Some('b') => s.push('\u{8}'),
                    Some('f') => s.push('\u{c}'),
                    Some('"') => s.push('"'),
                    Some('\\') => s.push('\\'),
                    Some('/') => s.push('/'),
                    Some('u') => {
                        let code = self.hex_digits(4);
                        match code.and_then(char::from_u32) {
                            Some(c) => s.push(c),
                            None => self.error(&here, "invalid `\\u` escape"),
                        }
                    }
                    Some('x') => match self.hex_digits(2).and_then(char::from_u32) {
                        Some(c) => s.push(c),
                        None => self.error(&here, "invalid `\\x` escape"),
                    },
                    Some(c) => {
                        self.error(&here, format!("unknown escape `\\{}`", c.escape_debug()))
                    }
                    None => {
                        self.error(loc, "unterminated string");
                        return None;
                    }
                },
                Some(c) => s.push(c),
            }
        }
    }

    fn hex_digits(&mut self, n: usize) -> Option<u32> {
        let mut v = 0u32;
        for _ in 0..n {
            let d = self.peek_at(0)?.to_digit(16)?;
            self.bump();
            v = v * 16 + d;
        }
        Some(v)
    }
}

/// Lexes one file. Problems are appended to `diags`; the token list always ends with `Eof`.
pub fn lex(file: &str, text: &str, diags: &mut Vec<Diagnostic>) -> Vec<Token> {
    // A UTF-8 byte order mark is not part of the text.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    Lexer {
        chars: text.chars().collect(),
        pos: 0,
        line: 1,
        col: 1,
        file,
        diags,
    }
    .run()
}
