//! Tillid's core: storage, rules and views, with no dependency on the UI
//! toolkit so that the desktop shell, the CLI, tests and benchmarks all
//! drive the same code.

pub mod codec;
pub mod crypto;
pub mod documents;
pub mod domain;
pub mod error;
pub mod export;
pub mod paths;
pub mod search;
pub mod secret;
pub mod seed;
pub mod service;
pub mod store;
pub mod templates;
pub mod trust;
pub mod validate;

pub use error::{Error, Result};
pub use service::{Actor, Tillid};
