//! The typed intermediate form: a resolved, validated, laid-out schema.
//!
//! The front end (`lexer` → `parser` → `resolve`) produces one [`Schema`]; every emitter and the
//! evolution check read only this. Everything that needs computing once — vtable slots, struct
//! layout, union tags, enum values, defaults, request/response pairs — is computed here, so the
//! emitters never re-derive facts and never disagree with each other.
//!
//! Declarations are kept in schema order (the order a reader of the .fbs file sees); cross
//! references use typed indices into the `Schema` vectors rather than names.

/// Where a declaration was written, for diagnostics (including the evolution guard, which reports
/// against the *new* schema's locations).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Location {
    /// File name as given to the loader (e.g. `schema/nanoapi.fbs`), never an absolute path, so
    /// that messages and generated output are the same on every machine.
    pub file: String,
    /// 1-based line.
    pub line: u32,
    /// 1-based column (in characters).
    pub col: u32,
}

/// Doc comment lines (`///` comments), without the leading `///` and one following space.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Doc(pub Vec<String>);

/// A user or built-in attribute as written: `(id: 3)`, `(required)`, `(permission: "a, b")`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attribute {
    pub name: String,
    /// The value's text: a string literal's content (unescaped) or a number's literal text.
    pub value: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TableId(pub u32);
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct StructId(pub u32);
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EnumId(pub u32);
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnionId(pub u32);

/// A resolved schema: one namespace, all included files merged.
#[derive(Debug, Clone, Default)]
pub struct Schema {
    /// Dotted namespace split into parts, e.g. `["nanoapi"]`.
    pub namespace: Vec<String>,
    /// The main file (as given to the loader); generated headers name it.
    pub main_file: String,
    pub root_type: Option<TableId>,
    pub file_identifier: Option<String>,
    pub file_extension: Option<String>,
    /// User attributes declared with `attribute "name";`, in declaration order.
    pub declared_attributes: Vec<String>,
    pub tables: Vec<Table>,
    pub structs: Vec<Struct>,
    pub enums: Vec<Enum>,
    pub unions: Vec<Union>,
    pub services: Vec<Service>,
}

/// Scalar types, named as in the .fbs grammar (`byte` = i8, `ubyte` = u8, …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ScalarType {
    Bool,
    Byte,
    UByte,
    Short,
    UShort,
    Int,
    UInt,
    Long,
    ULong,
    Float,
    Double,
}

impl ScalarType {
    /// Size (and alignment) in bytes on the wire.
    pub fn size(self) -> usize {
        match self {
            ScalarType::Bool | ScalarType::Byte | ScalarType::UByte => 1,
            ScalarType::Short | ScalarType::UShort => 2,
            ScalarType::Int | ScalarType::UInt | ScalarType::Float => 4,
            ScalarType::Long | ScalarType::ULong | ScalarType::Double => 8,
        }
    }

    /// The schema spelling (`ubyte`, `uint64` is normalised to `ulong`, …).
    pub fn schema_name(self) -> &'static str {
        match self {
            ScalarType::Bool => "bool",
            ScalarType::Byte => "byte",
            ScalarType::UByte => "ubyte",
            ScalarType::Short => "short",
            ScalarType::UShort => "ushort",
            ScalarType::Int => "int",
            ScalarType::UInt => "uint",
            ScalarType::Long => "long",
            ScalarType::ULong => "ulong",
            ScalarType::Float => "float",
            ScalarType::Double => "double",
        }
    }

    pub fn is_integer(self) -> bool {
        !matches!(
            self,
            ScalarType::Bool | ScalarType::Float | ScalarType::Double
        )
    }

    pub fn is_float(self) -> bool {
        matches!(self, ScalarType::Float | ScalarType::Double)
    }

    /// Inclusive value range for integer types (bool is 0..=1).
    pub fn int_range(self) -> Option<(i128, i128)> {
        Some(match self {
            ScalarType::Bool => (0, 1),
            ScalarType::Byte => (i8::MIN as i128, i8::MAX as i128),
            ScalarType::UByte => (0, u8::MAX as i128),
            ScalarType::Short => (i16::MIN as i128, i16::MAX as i128),
            ScalarType::UShort => (0, u16::MAX as i128),
            ScalarType::Int => (i32::MIN as i128, i32::MAX as i128),
            ScalarType::UInt => (0, u32::MAX as i128),
            ScalarType::Long => (i64::MIN as i128, i64::MAX as i128),
            ScalarType::ULong => (0, u64::MAX as i128),
            ScalarType::Float | ScalarType::Double => return None,
        })
    }
}

/// The type of a table field.
#[derive(Debug, Clone, PartialEq)]
pub enum Type {
    Scalar(ScalarType),
    String,
    /// An enum; stored as its underlying scalar.
    Enum(EnumId),
    /// A struct, stored inline in the table.
    Struct(StructId),
    /// A table, stored as an offset.
    Table(TableId),
    /// A union: occupies two vtable slots, the `<name>_type` tag (ubyte) and the value offset.
    Union(UnionId),
    /// A vector. Elements may be scalars, enums, strings, structs or tables (not unions or vectors).
    Vector(Box<Type>),
}

/// A field's default value, already checked against its type.
#[derive(Debug, Clone, PartialEq)]
pub enum DefaultValue {
    /// Non-scalar fields (strings, tables, vectors, unions, structs) have no default.
    None,
    Bool(bool),
    /// Integers of any width (and enums, which also record their variant index).
    Int(i128),
    Float(f64),
    /// An enum default: the index into `Enum::values` and its numeric value.
    EnumValue {
        index: usize,
        value: i128,
    },
}

#[derive(Debug, Clone)]
pub struct Table {
    pub name: String,
    pub doc: Doc,
    pub loc: Location,
    pub attributes: Vec<Attribute>,
    /// Fields in declaration order.
    pub fields: Vec<Field>,
}

#[derive(Debug, Clone)]
pub struct Field {
    pub name: String,
    pub doc: Doc,
    pub loc: Location,
    pub ty: Type,
    pub default: DefaultValue,
    pub required: bool,
    pub deprecated: bool,
    pub attributes: Vec<Attribute>,
    /// The field's id (explicit `(id: N)` or implicit). For a union field this is the id of its
    /// value slot; its `_type` slot is `id - 1`.
    pub id: u16,
    /// Byte offset of this field's entry in the vtable: `4 + 2 * id`.
    pub vtable_offset: u16,
    /// For union fields only: the vtable offset of the `<name>_type` tag slot.
    pub union_type_vtable_offset: Option<u16>,
}

#[derive(Debug, Clone)]
pub struct Struct {
    pub name: String,
    pub doc: Doc,
    pub loc: Location,
    pub attributes: Vec<Attribute>,
    pub fields: Vec<StructField>,
    /// Total size in bytes, including trailing padding.
    pub size: usize,
    /// Alignment in bytes (largest member alignment, or `force_align`).
    pub align: usize,
}

#[derive(Debug, Clone)]
pub struct StructField {
    pub name: String,
    pub doc: Doc,
    pub loc: Location,
    /// `Scalar`, `Enum` or `Struct` only.
    pub ty: Type,
    /// Byte offset within the struct.
    pub offset: usize,
    /// Padding bytes that follow this field.
    pub padding_after: usize,
}

#[derive(Debug, Clone)]
pub struct Enum {
    pub name: String,
    pub doc: Doc,
    pub loc: Location,
    pub attributes: Vec<Attribute>,
    /// The underlying integer type (`byte` unless declared otherwise).
    pub underlying: ScalarType,
    pub bit_flags: bool,
    /// Values in declaration order, with computed numeric values.
    pub values: Vec<EnumValue>,
}

#[derive(Debug, Clone)]
pub struct EnumValue {
    pub name: String,
    pub doc: Doc,
    pub loc: Location,
    pub value: i128,
}

#[derive(Debug, Clone)]
pub struct Union {
    pub name: String,
    pub doc: Doc,
    pub loc: Location,
    pub attributes: Vec<Attribute>,
    /// Members in declaration order; tag values start at 1 (0 is the implicit `NONE`).
    pub members: Vec<UnionMember>,
}

#[derive(Debug, Clone)]
pub struct UnionMember {
    /// The member name as written on the wire (`<field>_type` value in JSON); equals the table
    /// name unless an alias (`Alias: Table`) was given.
    pub name: String,
    pub doc: Doc,
    pub loc: Location,
    pub table: TableId,
    /// The union tag, 1-based.
    pub tag: u8,
}

#[derive(Debug, Clone)]
pub struct Service {
    pub name: String,
    pub doc: Doc,
    pub loc: Location,
    pub attributes: Vec<Attribute>,
    pub methods: Vec<RpcMethod>,
}

#[derive(Debug, Clone)]
pub struct RpcMethod {
    pub name: String,
    pub doc: Doc,
    pub loc: Location,
    pub request: TableId,
    pub response: TableId,
    pub attributes: Vec<Attribute>,
}

impl Schema {
    pub fn table(&self, id: TableId) -> &Table {
        &self.tables[id.0 as usize]
    }
    pub fn strukt(&self, id: StructId) -> &Struct {
        &self.structs[id.0 as usize]
    }
    pub fn enum_(&self, id: EnumId) -> &Enum {
        &self.enums[id.0 as usize]
    }
    pub fn union(&self, id: UnionId) -> &Union {
        &self.unions[id.0 as usize]
    }
    pub fn table_by_name(&self, name: &str) -> Option<TableId> {
        self.tables
            .iter()
            .position(|t| t.name == name)
            .map(|i| TableId(i as u32))
    }
    pub fn union_by_name(&self, name: &str) -> Option<UnionId> {
        self.unions
            .iter()
            .position(|u| u.name == name)
            .map(|i| UnionId(i as u32))
    }
}

impl Attribute {
    /// Looks up an attribute by name in a list.
    pub fn find<'a>(attrs: &'a [Attribute], name: &str) -> Option<&'a Attribute> {
        attrs.iter().find(|a| a.name == name)
    }
}

impl RpcMethod {
    /// The permissions named by `(permission: "a, b")`, trimmed, in order; any one suffices.
    pub fn permissions(&self) -> Vec<String> {
        Attribute::find(&self.attributes, "permission")
            .and_then(|a| a.value.as_deref())
            .map(|v| {
                v.split(',')
                    .map(|p| p.trim().to_string())
                    .filter(|p| !p.is_empty())
                    .collect()
            })
            .unwrap_or_default()
    }
}
