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

/// Signatures a reader has already seen verify, by a digest of key,
/// signature and statement together: the same row, unchanged, under the
/// same key verifies again without the curve arithmetic (tens of
/// microseconds a row, most of what a view costs). Anything changed (a
/// fact, the signature, the roster's key for the signer) gives another
/// digest and is verified afresh. Only successes are kept; in memory only,
/// for as long as the reader is signed in.
#[derive(Default)]
pub struct Verified(std::sync::Mutex<std::collections::HashSet<[u8; 32]>>);

/// Beyond this many, the set starts again (32 bytes each: 8 MiB).
const VERIFIED_MAX: usize = 250_000;

impl Verified {
    /// [`verify_row`], remembering what verified.
    pub fn verify_row(
        &self,
        keys: &[[u8; 32]],
        table: &str,
        id: i64,
        signer: i64,
        facts: &[Fact<'_>],
        signature: &[u8],
    ) -> bool {
        let body = statement(table, id, signer, facts);
        let digest = |key: &[u8; 32]| -> [u8; 32] {
            let mut h = Sha256::new();
            h.update(b"tillid/row-verified/v1");
            h.update(key);
            h.update((signature.len() as u64).to_be_bytes());
            h.update(signature);
            h.update(&body);
            h.finalize().into()
        };
        let mut seen = self.0.lock().unwrap_or_else(|e| e.into_inner());
        for key in keys {
            let d = digest(key);
            if seen.contains(&d) {
                return true;
            }
            if sign::verify(key, ROW_DOMAIN, &body, signature).is_ok() {
                if seen.len() >= VERIFIED_MAX {
                    seen.clear();
                }
                seen.insert(d);
                return true;
            }
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_remembered_signature_still_fails_for_a_changed_row_or_another_key() {
        let key = SigningKey::from_bytes(&[9u8; 32]);
        let other = SigningKey::from_bytes(&[8u8; 32])
            .verifying_key()
            .to_bytes();
        let public = key.verifying_key().to_bytes();
        let facts = [Fact::Int(3), Fact::Text("Vi holder et tjek-ind")];
        let sig = sign_row(&key, "agreement", 7, 2, &facts);
        let verified = Verified::default();
        assert!(verified.verify_row(&[public], "agreement", 7, 2, &facts, &sig));
        assert!(
            verified.verify_row(&[public], "agreement", 7, 2, &facts, &sig),
            "again, remembered"
        );
        let changed = [Fact::Int(3), Fact::Text("Vi holder et tjek-ind hver dag")];
        assert!(!verified.verify_row(&[public], "agreement", 7, 2, &changed, &sig));
        assert!(!verified.verify_row(&[public], "agreement", 8, 2, &facts, &sig));
        assert!(!verified.verify_row(&[other], "agreement", 7, 2, &facts, &sig));
        let mut bad = sig.clone();
        bad[10] ^= 1;
        assert!(!verified.verify_row(&[public], "agreement", 7, 2, &facts, &bad));
    }
}
