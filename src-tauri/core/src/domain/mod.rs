//! The words of the domain and the rules of who may see or change what.

pub mod access;
mod types;

pub use types::*;
