//! The syntax tree of one .fbs file, exactly as written: names are not yet resolved and values
//! are still literal text. Every node keeps its [`Location`] so that the resolver can point at
//! the right place.

use crate::ir::Location;

#[derive(Debug, Clone, PartialEq)]
pub struct Ident {
    /// Possibly dotted (`nanoapi.Block`).
    pub name: String,
    pub loc: Location,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LitKind {
    Int,
    Float,
    /// A bare identifier: `true`, `nan`, `inf`, an enum value name.
    Ident,
    Str,
}

/// A literal value; `text` includes a leading `-`/`+` for signed numbers and identifiers.
#[derive(Debug, Clone, PartialEq)]
pub struct Literal {
    pub kind: LitKind,
    pub text: String,
    pub loc: Location,
}

/// One `name` or `name: value` inside `( … )`.
#[derive(Debug, Clone, PartialEq)]
pub struct AttrUse {
    pub name: Ident,
    pub value: Option<Literal>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TypeRef {
    Named(Ident),
    Vector(Box<TypeRef>, Location),
    /// `[T:N]`, a fixed-size array (only valid in structs; not supported by this generator).
    Array(Box<TypeRef>, Literal, Location),
}

impl TypeRef {
    pub fn loc(&self) -> &Location {
        match self {
            TypeRef::Named(i) => &i.loc,
            TypeRef::Vector(_, l) | TypeRef::Array(_, _, l) => l,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct FieldDecl {
    pub doc: Vec<String>,
    pub name: Ident,
    pub ty: TypeRef,
    pub default: Option<Literal>,
    pub attrs: Vec<AttrUse>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TypeDecl {
    pub doc: Vec<String>,
    pub is_struct: bool,
    pub name: Ident,
    pub attrs: Vec<AttrUse>,
    pub fields: Vec<FieldDecl>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EnumValDecl {
    pub doc: Vec<String>,
    pub name: Ident,
    /// Union members only: `Alias: Table`.
    pub ty: Option<Ident>,
    pub value: Option<Literal>,
    /// `A = 1 (attr)`: checked for declaration, not carried into the IR.
    pub attrs: Vec<AttrUse>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EnumDecl {
    pub doc: Vec<String>,
    pub is_union: bool,
    pub name: Ident,
    /// The underlying type (`enum E : ubyte`); never present for unions.
    pub underlying: Option<Ident>,
    pub attrs: Vec<AttrUse>,
    pub values: Vec<EnumValDecl>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RpcMethodDecl {
    pub doc: Vec<String>,
    pub name: Ident,
    pub request: Ident,
    pub response: Ident,
    pub attrs: Vec<AttrUse>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ServiceDecl {
    pub doc: Vec<String>,
    pub name: Ident,
    pub attrs: Vec<AttrUse>,
    pub methods: Vec<RpcMethodDecl>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    Include(Literal),
    Namespace(Vec<String>, Location),
    Attribute(Literal),
    Type(TypeDecl),
    Enum(EnumDecl),
    RootType(Ident),
    FileIdentifier(Literal),
    FileExtension(Literal),
    Service(ServiceDecl),
}

/// One parsed file; `name` is its display name.
#[derive(Debug, Clone, PartialEq)]
pub struct File {
    pub name: String,
    pub items: Vec<Item>,
}
