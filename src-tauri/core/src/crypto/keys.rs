//! Key material, kept out of logs and wiped from memory when dropped.

use std::fmt;

use rand::rngs::OsRng;
use rand::RngCore;
use x25519_dalek::{PublicKey, StaticSecret};
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use crate::{Error, Result};

/// Length of every symmetric key (XChaCha20-Poly1305 and the KEK).
pub const KEY_LEN: usize = 32;

/// A 32-byte symmetric key. It lives on the heap so that moving a `Key`
/// around does not leave copies of it in old stack frames, and it is wiped
/// when dropped. `Debug` never shows the bytes.
#[derive(Clone)]
pub struct Key(Box<[u8; KEY_LEN]>);

impl Key {
    /// A fresh key from the operating system's CSPRNG.
    pub fn random() -> Key {
        let mut key = Key(Box::new([0u8; KEY_LEN]));
        OsRng.fill_bytes(&mut key.0[..]);
        key
    }

    /// Copies `bytes` into a new key; wiping the source is the caller's job.
    pub fn from_bytes(bytes: &[u8; KEY_LEN]) -> Key {
        Key(Box::new(*bytes))
    }

    /// A key from stored or decrypted bytes, which must be exactly 32 long.
    pub fn from_slice(bytes: &[u8]) -> Result<Key> {
        let array: &[u8; KEY_LEN] = bytes.try_into().map_err(|_| Error::Integrity)?;
        Ok(Key::from_bytes(array))
    }

    pub fn as_bytes(&self) -> &[u8; KEY_LEN] {
        &self.0
    }

    /// For filling a key in place (KDF output) without a stack copy.
    pub(crate) fn zeroed() -> Key {
        Key(Box::new([0u8; KEY_LEN]))
    }

    pub(crate) fn as_mut_bytes(&mut self) -> &mut [u8; KEY_LEN] {
        &mut self.0
    }
}

impl Zeroize for Key {
    fn zeroize(&mut self) {
        self.0.zeroize();
    }
}

impl Drop for Key {
    fn drop(&mut self) {
        self.zeroize();
    }
}

impl ZeroizeOnDrop for Key {}

impl fmt::Debug for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Key(redacted)")
    }
}

/// Length of [`PersonSecrets::to_bytes`]: the content key, then the X25519
/// secret.
pub const PERSON_SECRETS_LEN: usize = 2 * KEY_LEN;

/// What a person's passphrase unlocks: the key of their private content and
/// the X25519 secret that opens the space keys others have wrapped to them.
/// Both fields wipe themselves on drop (x25519-dalek's `zeroize` feature).
#[derive(Clone, ZeroizeOnDrop)]
pub struct PersonSecrets {
    pub content_key: Key,
    pub x25519: StaticSecret,
}

impl PersonSecrets {
    pub fn generate() -> PersonSecrets {
        PersonSecrets {
            content_key: Key::random(),
            x25519: StaticSecret::random_from_rng(OsRng),
        }
    }

    /// The X25519 public key others wrap space keys to; stored in clear.
    pub fn public_key(&self) -> [u8; 32] {
        PublicKey::from(&self.x25519).to_bytes()
    }

    /// The 64 bytes to wrap under the person's KEK.
    pub fn to_bytes(&self) -> Zeroizing<[u8; PERSON_SECRETS_LEN]> {
        let mut out = Zeroizing::new([0u8; PERSON_SECRETS_LEN]);
        out[..KEY_LEN].copy_from_slice(self.content_key.as_bytes());
        out[KEY_LEN..].copy_from_slice(self.x25519.as_bytes());
        out
    }

    /// Reverses [`to_bytes`](Self::to_bytes); any other length is damage.
    pub fn from_bytes(bytes: &[u8]) -> Result<PersonSecrets> {
        if bytes.len() != PERSON_SECRETS_LEN {
            return Err(Error::Integrity);
        }
        let (content, x25519) = bytes.split_at(KEY_LEN);
        let mut scalar = Zeroizing::new([0u8; KEY_LEN]);
        scalar.copy_from_slice(x25519);
        Ok(PersonSecrets {
            content_key: Key::from_slice(content)?,
            x25519: StaticSecret::from(*scalar),
        })
    }
}

impl fmt::Debug for PersonSecrets {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PersonSecrets(redacted)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    #[test]
    fn random_keys_differ_and_round_trip_through_bytes() {
        let a = Key::random();
        let b = Key::random();
        assert_ne!(a.as_bytes(), b.as_bytes());
        assert_eq!(Key::from_bytes(a.as_bytes()).as_bytes(), a.as_bytes());
        assert_eq!(
            Key::from_slice(&a.as_bytes()[..]).unwrap().as_bytes(),
            a.as_bytes()
        );
        assert!(matches!(Key::from_slice(&[0u8; 31]), Err(Error::Integrity)));
        assert!(matches!(Key::from_slice(&[0u8; 33]), Err(Error::Integrity)));
    }

    #[test]
    fn person_secrets_round_trip_and_keep_their_public_key() {
        let p = PersonSecrets::generate();
        let bytes = p.to_bytes();
        let q = PersonSecrets::from_bytes(&bytes[..]).unwrap();
        assert_eq!(q.content_key.as_bytes(), p.content_key.as_bytes());
        assert_eq!(q.x25519.as_bytes(), p.x25519.as_bytes());
        assert_eq!(q.public_key(), p.public_key());
        assert_ne!(p.public_key(), PersonSecrets::generate().public_key());
        assert!(matches!(
            PersonSecrets::from_bytes(&bytes[..63]),
            Err(Error::Integrity)
        ));
        assert!(matches!(
            PersonSecrets::from_bytes(&[0u8; 65]),
            Err(Error::Integrity)
        ));
    }

    #[test]
    fn debug_shows_no_key_bytes() {
        let k = Key::random();
        let shown = format!("{k:?} {k:#?}");
        assert!(!shown.contains(&hex(k.as_bytes())), "{shown}");
        assert!(
            !shown.contains(&format!("{:?}", &k.as_bytes()[..])),
            "{shown}"
        );
        assert_eq!(shown, "Key(redacted) Key(redacted)");

        let p = PersonSecrets::generate();
        let shown = format!("{p:?} {p:#?}");
        for secret in [&p.content_key.as_bytes()[..], &p.x25519.as_bytes()[..]] {
            assert!(!shown.contains(&hex(secret)), "{shown}");
            assert!(!shown.contains(&format!("{secret:?}")), "{shown}");
        }
        assert_eq!(shown, "PersonSecrets(redacted) PersonSecrets(redacted)");
    }
}
