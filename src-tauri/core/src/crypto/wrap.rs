//! Keys wrapped for storage.
//!
//! - A person's secrets ([`super::PersonSecrets`]) are wrapped under the KEK
//!   from their passphrase ([`wrap_with_key`]).
//! - A space key (a pair's or a group's) is wrapped to each member's X25519
//!   public key ([`wrap_to_public`]), so a manager can share with an
//!   employee who is not at the keyboard. This is an ECIES-style box: a
//!   fresh ephemeral key per wrap, X25519, HKDF-SHA256, XChaCha20-Poly1305.
//!
//! Public-key format: `[FORMAT_V1][ephemeral public 32][nonce 24][ct || tag]`.

use hkdf::Hkdf;
use rand::rngs::OsRng;
use sha2::Sha256;
use x25519_dalek::{EphemeralSecret, PublicKey, SharedSecret, StaticSecret};
use zeroize::Zeroizing;

use super::keys::{Key, KEY_LEN};
use super::seal::{self, header_aad, open_raw, seal_raw, NONCE_LEN, TAG_LEN};
use super::{put_prefixed, FORMAT_V1};
use crate::{Error, Result};

/// Domain of key wraps under a passphrase KEK.
const PERSON_KEYS_DOMAIN: &[u8] = b"tillid/person-keys/v1";
/// HKDF info of space-key wraps; also their AEAD domain.
const SPACE_KEY_DOMAIN: &[u8] = b"tillid/space-key/v1";

const PUBLIC_LEN: usize = 32;
const HEADER_LEN: usize = 1 + PUBLIC_LEN;
/// A wrapped space key: header, nonce, the 32-byte key and the tag.
pub const WRAPPED_TO_PUBLIC_LEN: usize = HEADER_LEN + NONCE_LEN + KEY_LEN + TAG_LEN;

/// Prefixes the caller's `aad` with a domain, so a blob sealed for one
/// purpose never opens as another, even under the same key.
fn domain_aad(domain: &[u8], aad: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(8 + domain.len() + aad.len());
    put_prefixed(&mut out, domain);
    out.extend_from_slice(aad);
    out
}

/// Seals `secret_bytes` (a person's secrets) under `kek`. `aad` should name
/// the person, so one person's wrap cannot be swapped for another's.
pub fn wrap_with_key(kek: &Key, aad: &[u8], secret_bytes: &[u8]) -> Result<Vec<u8>> {
    seal::seal(kek, &domain_aad(PERSON_KEYS_DOMAIN, aad), secret_bytes)
}

/// Reverses [`wrap_with_key`]. Fails with [`Error::Integrity`]; a caller
/// whose KEK came from a typed passphrase reports `WrongPassphrase`.
pub fn unwrap_with_key(kek: &Key, aad: &[u8], wrapped: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
    seal::open(kek, &domain_aad(PERSON_KEYS_DOMAIN, aad), wrapped)
}

/// Wraps `secret` so only the holder of the X25519 secret behind
/// `recipient_public` can unwrap it. `aad` should name the space and the
/// recipient.
pub fn wrap_to_public(recipient_public: &[u8; 32], aad: &[u8], secret: &Key) -> Result<Vec<u8>> {
    let recipient = PublicKey::from(*recipient_public);
    let ephemeral = EphemeralSecret::random_from_rng(OsRng);
    let ephemeral_public = PublicKey::from(&ephemeral);
    let shared = ephemeral.diffie_hellman(&recipient);
    let kek = box_key(&shared, &ephemeral_public, &recipient)?;

    let mut header = [0u8; HEADER_LEN];
    header[0] = FORMAT_V1;
    header[1..].copy_from_slice(ephemeral_public.as_bytes());
    let (nonce, ciphertext) = seal_raw(&kek, &box_aad(&header, aad), secret.as_bytes())?;

    let mut out = Vec::with_capacity(WRAPPED_TO_PUBLIC_LEN);
    out.extend_from_slice(&header);
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&ciphertext);
    Ok(out)
}

/// Reverses [`wrap_to_public`] with the recipient's secret. Anything but a
/// well-formed wrap made for this recipient with this `aad` is
/// [`Error::Integrity`].
pub fn unwrap_with_secret(recipient: &StaticSecret, aad: &[u8], wrapped: &[u8]) -> Result<Key> {
    if wrapped.len() != WRAPPED_TO_PUBLIC_LEN || wrapped[0] != FORMAT_V1 {
        return Err(Error::Integrity);
    }
    let (header, rest) = wrapped.split_at(HEADER_LEN);
    let (nonce, ciphertext) = rest.split_at(NONCE_LEN);
    let mut ephemeral = [0u8; PUBLIC_LEN];
    ephemeral.copy_from_slice(&header[1..]);
    let ephemeral_public = PublicKey::from(ephemeral);
    let shared = recipient.diffie_hellman(&ephemeral_public);
    let kek = box_key(&shared, &ephemeral_public, &PublicKey::from(recipient))?;
    let secret = open_raw(&kek, &box_aad(header, aad), nonce, ciphertext)?;
    Key::from_slice(&secret)
}

/// HKDF-SHA256 of the X25519 shared secret, salted with both public keys so
/// the key is bound to this exact pair. An all-zero shared secret means a
/// low-order public key (damaged or planted), which would make the key
/// guessable: refused.
fn box_key(shared: &SharedSecret, ephemeral: &PublicKey, recipient: &PublicKey) -> Result<Key> {
    if !shared.was_contributory() {
        return Err(Error::Integrity);
    }
    let mut salt = [0u8; 2 * PUBLIC_LEN];
    salt[..PUBLIC_LEN].copy_from_slice(ephemeral.as_bytes());
    salt[PUBLIC_LEN..].copy_from_slice(recipient.as_bytes());
    let mut okm = Zeroizing::new([0u8; KEY_LEN]);
    Hkdf::<Sha256>::new(Some(&salt), shared.as_bytes())
        .expand(SPACE_KEY_DOMAIN, &mut okm[..])
        .map_err(|_| Error::Storage("hkdf output length".into()))?;
    Ok(Key::from_bytes(&okm))
}

fn box_aad(header: &[u8], aad: &[u8]) -> Vec<u8> {
    header_aad(header, &domain_aad(SPACE_KEY_DOMAIN, aad))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::kdf::{derive_kek, KdfParams};
    use crate::crypto::PersonSecrets;
    use proptest::prelude::*;

    #[test]
    fn person_secrets_round_trip_under_a_passphrase() {
        let salt = [3u8; 16];
        let person = PersonSecrets::generate();
        let kek = derive_kek("rigtig hest", &salt, KdfParams::FAST_FOR_TESTS).unwrap();
        let wrapped = wrap_with_key(&kek, b"person:7", &person.to_bytes()[..]).unwrap();

        let again = derive_kek("rigtig hest", &salt, KdfParams::FAST_FOR_TESTS).unwrap();
        let bytes = unwrap_with_key(&again, b"person:7", &wrapped).unwrap();
        let back = PersonSecrets::from_bytes(&bytes).unwrap();
        assert_eq!(back.public_key(), person.public_key());
        assert_eq!(back.content_key.as_bytes(), person.content_key.as_bytes());
    }

    #[test]
    fn wrong_passphrase_or_person_fails_with_integrity() {
        let salt = [3u8; 16];
        let kek = derive_kek("rigtig hest", &salt, KdfParams::FAST_FOR_TESTS).unwrap();
        let wrapped = wrap_with_key(&kek, b"person:7", &[1u8; 64]).unwrap();
        let wrong = derive_kek("rigtig hesT", &salt, KdfParams::FAST_FOR_TESTS).unwrap();
        assert_ne!(wrong.as_bytes(), kek.as_bytes());
        assert!(matches!(
            unwrap_with_key(&wrong, b"person:7", &wrapped),
            Err(Error::Integrity)
        ));
        assert!(matches!(
            unwrap_with_key(&kek, b"person:8", &wrapped),
            Err(Error::Integrity)
        ));
    }

    #[test]
    fn a_person_wrap_is_not_a_plain_seal() {
        // Domain separation: same key and aad, different purpose.
        let kek = Key::random();
        let wrapped = wrap_with_key(&kek, b"x", b"secret").unwrap();
        assert!(matches!(
            seal::open(&kek, b"x", &wrapped),
            Err(Error::Integrity)
        ));
        let sealed = seal::seal(&kek, b"x", b"secret").unwrap();
        assert!(matches!(
            unwrap_with_key(&kek, b"x", &sealed),
            Err(Error::Integrity)
        ));
    }

    #[test]
    fn space_key_round_trips_to_its_recipient_only() {
        let b = PersonSecrets::generate();
        let c = PersonSecrets::generate();
        let space_key = Key::random();
        let wrapped = wrap_to_public(&b.public_key(), b"pair:1:2/to:2", &space_key).unwrap();
        assert_eq!(wrapped.len(), WRAPPED_TO_PUBLIC_LEN);

        let opened = unwrap_with_secret(&b.x25519, b"pair:1:2/to:2", &wrapped).unwrap();
        assert_eq!(opened.as_bytes(), space_key.as_bytes());
        assert!(matches!(
            unwrap_with_secret(&c.x25519, b"pair:1:2/to:2", &wrapped),
            Err(Error::Integrity)
        ));
        assert!(matches!(
            unwrap_with_secret(&b.x25519, b"pair:1:3/to:2", &wrapped),
            Err(Error::Integrity)
        ));
    }

    #[test]
    fn each_wrap_uses_a_fresh_ephemeral_key() {
        let b = PersonSecrets::generate();
        let k = Key::random();
        let one = wrap_to_public(&b.public_key(), b"", &k).unwrap();
        let two = wrap_to_public(&b.public_key(), b"", &k).unwrap();
        assert_ne!(one[1..HEADER_LEN], two[1..HEADER_LEN]);
        assert!(!one.windows(KEY_LEN).any(|w| w == k.as_bytes()));
    }

    #[test]
    fn low_order_public_keys_are_refused() {
        // The all-zero point and the order-2 point (u = 1) give an all-zero
        // shared secret whatever the scalar.
        let mut one = [0u8; 32];
        one[0] = 1;
        for bad in [[0u8; 32], one] {
            assert!(matches!(
                wrap_to_public(&bad, b"", &Key::random()),
                Err(Error::Integrity)
            ));
            // A planted ephemeral key of low order is refused on unwrap too.
            let b = PersonSecrets::generate();
            let mut wrapped = wrap_to_public(&b.public_key(), b"", &Key::random()).unwrap();
            wrapped[1..HEADER_LEN].copy_from_slice(&bad);
            assert!(matches!(
                unwrap_with_secret(&b.x25519, b"", &wrapped),
                Err(Error::Integrity)
            ));
        }
    }

    #[test]
    fn malformed_space_wraps_are_integrity() {
        let b = PersonSecrets::generate();
        let wrapped = wrap_to_public(&b.public_key(), b"", &Key::random()).unwrap();
        for len in [0, 1, HEADER_LEN, WRAPPED_TO_PUBLIC_LEN - 1] {
            assert!(matches!(
                unwrap_with_secret(&b.x25519, b"", &wrapped[..len]),
                Err(Error::Integrity)
            ));
        }
        let mut longer = wrapped.clone();
        longer.push(0);
        assert!(matches!(
            unwrap_with_secret(&b.x25519, b"", &longer),
            Err(Error::Integrity)
        ));
        let mut format = wrapped.clone();
        format[0] = 2;
        assert!(matches!(
            unwrap_with_secret(&b.x25519, b"", &format),
            Err(Error::Integrity)
        ));
    }

    #[test]
    fn box_key_derivation_is_frozen() {
        // Stored wraps depend on this exact derivation (DH, salt = both
        // public keys, info); a change would lock everyone out.
        let ephemeral = StaticSecret::from([1u8; 32]);
        let recipient = StaticSecret::from([2u8; 32]);
        let (e_pub, r_pub) = (PublicKey::from(&ephemeral), PublicKey::from(&recipient));
        let key = box_key(&ephemeral.diffie_hellman(&r_pub), &e_pub, &r_pub).unwrap();
        let hex: String = key.as_bytes().iter().map(|b| format!("{b:02x}")).collect();
        // Cross-checked with Python's `cryptography` (X25519 + HKDF-SHA256).
        assert_eq!(
            hex,
            "4831030af8fd9258dbcea7dec43e8dd10777e75599e7e0e8170e651ef17d9f06"
        );
        // Both sides agree.
        let other = box_key(&recipient.diffie_hellman(&e_pub), &e_pub, &r_pub).unwrap();
        assert_eq!(other.as_bytes(), key.as_bytes());
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn any_flipped_bit_in_a_space_wrap_is_integrity(pos in 0..WRAPPED_TO_PUBLIC_LEN, bit in 0u8..8) {
            let b = StaticSecret::from([5u8; 32]);
            let mut wrapped = wrap_to_public(&PublicKey::from(&b).to_bytes(), b"aad", &Key::random()).unwrap();
            wrapped[pos] ^= 1 << bit;
            prop_assert!(matches!(unwrap_with_secret(&b, b"aad", &wrapped), Err(Error::Integrity)));
        }

        #[test]
        fn any_flipped_bit_in_a_person_wrap_is_integrity(pos in 0..(1 + NONCE_LEN + 64 + TAG_LEN), bit in 0u8..8) {
            let kek = Key::from_bytes(&[4; 32]);
            let mut wrapped = wrap_with_key(&kek, b"person:1", &[6u8; 64]).unwrap();
            wrapped[pos] ^= 1 << bit;
            prop_assert!(matches!(unwrap_with_key(&kek, b"person:1", &wrapped), Err(Error::Integrity)));
        }
    }
}
