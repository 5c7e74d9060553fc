//! Signatures on facts that grant a right or decide who receives a key
//! (roster heads, key claims). Ed25519 (ed25519-dalek).
//!
//! A person's signing key is derived from the secrets their passphrase
//! already unwraps (HKDF-SHA256 over them), so files written before
//! signatures came in need no new wrap, and the key is gone when the
//! secrets are.

use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use hkdf::Hkdf;
use sha2::Sha256;
use zeroize::Zeroizing;

use super::keys::{PersonSecrets, KEY_LEN};
use super::put_prefixed;
use crate::{Error, Result};

pub const PUBLIC_LEN: usize = 32;
pub const SIGNATURE_LEN: usize = 64;

const DERIVE_INFO: &[u8] = b"tillid/signing-key/v1";

/// The person's signing key. Wiped on drop (ed25519-dalek's `zeroize`).
pub fn signing_key(secrets: &PersonSecrets) -> Result<SigningKey> {
    let mut seed = Zeroizing::new([0u8; KEY_LEN]);
    Hkdf::<Sha256>::new(None, &secrets.to_bytes()[..])
        .expand(DERIVE_INFO, &mut seed[..])
        .map_err(|_| Error::Storage("hkdf output length".into()))?;
    Ok(SigningKey::from_bytes(&seed))
}

pub fn public_of(secrets: &PersonSecrets) -> Result<[u8; PUBLIC_LEN]> {
    Ok(signing_key(secrets)?.verifying_key().to_bytes())
}

/// What is signed: a domain naming the kind of statement, then its bytes,
/// so a signature on one kind never verifies as another.
fn message(domain: &str, body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(16 + domain.len() + body.len());
    put_prefixed(&mut out, domain.as_bytes());
    put_prefixed(&mut out, body);
    out
}

pub fn sign(key: &SigningKey, domain: &str, body: &[u8]) -> Vec<u8> {
    key.sign(&message(domain, body)).to_bytes().to_vec()
}

/// Checks `signature` over `body` by `public`. Anything malformed, a weak
/// key, or a signature that does not verify is [`Error::Integrity`].
pub fn verify(public: &[u8], domain: &str, body: &[u8], signature: &[u8]) -> Result<()> {
    let public: &[u8; PUBLIC_LEN] = public.try_into().map_err(|_| Error::Integrity)?;
    let key = VerifyingKey::from_bytes(public).map_err(|_| Error::Integrity)?;
    if key.is_weak() {
        return Err(Error::Integrity);
    }
    let signature: &[u8; SIGNATURE_LEN] = signature.try_into().map_err(|_| Error::Integrity)?;
    key.verify_strict(&message(domain, body), &Signature::from_bytes(signature))
        .map_err(|_| Error::Integrity)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signature_verifies_only_for_its_key_domain_and_body() {
        let a = PersonSecrets::generate();
        let b = PersonSecrets::generate();
        let key = signing_key(&a).unwrap();
        assert_eq!(
            key.verifying_key().to_bytes(),
            signing_key(&a).unwrap().verifying_key().to_bytes(),
            "derived the same way every time"
        );
        let sig = sign(&key, "roster", b"body");
        let public = public_of(&a).unwrap();
        verify(&public, "roster", b"body", &sig).unwrap();
        for (p, d, m) in [
            (public_of(&b).unwrap(), "roster", &b"body"[..]),
            (public, "claim", &b"body"[..]),
            (public, "roster", &b"bodY"[..]),
        ] {
            assert!(matches!(verify(&p, d, m, &sig), Err(Error::Integrity)));
        }
        let mut bad = sig.clone();
        bad[10] ^= 1;
        assert!(verify(&public, "roster", b"body", &bad).is_err());
        assert!(verify(&[0u8; 32], "roster", b"body", &sig).is_err());
        assert!(verify(&public[..31], "roster", b"body", &sig).is_err());
    }
}
