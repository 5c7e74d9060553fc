//! Encryption of content at rest (see DESIGN.md, "Privacy on a shared
//! laptop"). Anyone may copy the database file, so every piece of content is
//! sealed with a key that only a passphrase of someone allowed to read it can
//! reach:
//!
//! - [`kdf`]: passphrase → Argon2id → key-encryption key (KEK).
//! - [`keys`]: a symmetric [`Key`] and a person's long-lived secrets.
//! - [`seal`]: XChaCha20-Poly1305 with associated data that pins a value to
//!   its table, column, row and space.
//! - [`wrap`]: a person's secrets wrapped under their KEK, and space keys
//!   wrapped to a member's X25519 public key.
//!
//! Every failure to open something stored is [`crate::Error::Integrity`]:
//! a wrong key, a moved ciphertext and a damaged byte look the same on
//! purpose. The caller that knows a key came from a passphrase maps it to
//! [`crate::Error::WrongPassphrase`].

pub mod kdf;
pub mod keys;
pub mod seal;
pub mod sign;
pub mod wrap;

pub use kdf::KdfParams;
pub use keys::{Key, PersonSecrets};

/// The first byte of every blob this module writes. A later format gets a
/// new number, so old and new blobs can live side by side in one database
/// (and 0 stays the plain-text format of `codec::FORMAT_PLAIN`).
pub const FORMAT_V1: u8 = 1;

/// Appends `bytes` behind its length, so that concatenated fields can never
/// be read back another way ("ab"+"c" ≠ "a"+"bc").
pub fn put_prefixed(out: &mut Vec<u8>, bytes: &[u8]) {
    out.extend_from_slice(&(bytes.len() as u64).to_be_bytes());
    out.extend_from_slice(bytes);
}
