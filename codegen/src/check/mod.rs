//! Checks over resolved schemas. Today: the schema evolution guard ([`evolution`]), which
//! compares a released schema with the current one.

pub mod evolution;

pub use evolution::check_compat;
