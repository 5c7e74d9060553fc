//! Signatures on content rows: who wrote a note or agenda point, who
//! recorded or last edited an agreement and with which owner and date, who
//! moved it to which state, who confirmed which summary version, and that
//! the manager marked a dialogue held with these participants. The sealed
//! values are covered by their hash, so a value re-attributed, copied to
//! another row or replaced is caught even by someone holding the space key.

use ed25519_dalek::SigningKey;
use sha2::{Digest, Sha256};

use crate::crypto::{put_prefixed, sign};
use crate::Result;

const ROW_DOMAIN: &str = "tillid/row/v1";

/// One fact a row's signature covers.
pub enum Fact<'a> {
    Int(i64),
    OptInt(Option<i64>),
    Text(&'a str),
    OptText(Option<&'a str>),
    /// A sealed value, covered by its hash (absent: a marker of its own).
    Sealed(Option<&'a [u8]>),
}

/// The bytes signed for a row: table, id, signer, then each fact with a tag,
/// so no two different rows give the same statement.
pub fn statement(table: &str, id: i64, signer: i64, facts: &[Fact<'_>]) -> Vec<u8> {
    let mut out = Vec::with_capacity(64 + 40 * facts.len());
    put_prefixed(&mut out, table.as_bytes());
    out.extend_from_slice(&id.to_be_bytes());
    out.extend_from_slice(&signer.to_be_bytes());
    for fact in facts {
        match fact {
            Fact::Int(v) => {
                out.push(1);
                out.extend_from_slice(&v.to_be_bytes());
            }
            Fact::OptInt(None) | Fact::OptText(None) | Fact::Sealed(None) => out.push(0),
            Fact::OptInt(Some(v)) => {
                out.push(2);
                out.extend_from_slice(&v.to_be_bytes());
            }
            Fact::Text(t) | Fact::OptText(Some(t)) => {
                out.push(3);
                put_prefixed(&mut out, t.as_bytes());
            }
            Fact::Sealed(Some(bytes)) => {
                out.push(4);
                out.extend_from_slice(&Sha256::digest(bytes));
            }
        }
    }
    out
}

pub fn sign_row(
    key: &SigningKey,
    table: &str,
    id: i64,
    signer: i64,
    facts: &[Fact<'_>],
) -> Vec<u8> {
    sign::sign(key, ROW_DOMAIN, &statement(table, id, signer, facts))
}

/// Whether `signature` is the row's, by any of `keys` (the signer's
/// current signing key and those an administrator's reset retired).
pub fn verify_row(
    keys: &[[u8; 32]],
    table: &str,
    id: i64,
    signer: i64,
    facts: &[Fact<'_>],
    signature: &[u8],
) -> Result<bool> {
    let body = statement(table, id, signer, facts);
    Ok(keys
        .iter()
        .any(|k| sign::verify(k, ROW_DOMAIN, &body, signature).is_ok()))
}
