//! Passphrase hashing and one-time setup codes.

use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::{Algorithm, Argon2, Params, Version};
use rand::Rng;

use crate::{Error, Result};

/// Cost of the Argon2id hash of passphrases and setup codes. Tests use a
/// cheaper setting; the stored hash records its own parameters, so a
/// database hashed with one setting verifies under any.
#[derive(Clone, Copy, Debug)]
pub struct HashCost {
    pub memory_kib: u32,
    pub iterations: u32,
}

impl HashCost {
    /// OWASP's recommended minimum for Argon2id.
    pub const STANDARD: HashCost = HashCost {
        memory_kib: 19 * 1024,
        iterations: 2,
    };
    /// For tests only: fast, and still a real Argon2id hash.
    pub const FAST_FOR_TESTS: HashCost = HashCost {
        memory_kib: 256,
        iterations: 1,
    };

    fn hasher(self) -> Result<Argon2<'static>> {
        let params = Params::new(self.memory_kib, self.iterations, 1, None)
            .map_err(|e| Error::Storage(format!("argon2 parameters: {e}")))?;
        Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
    }
}

/// A PHC string (`$argon2id$v=19$m=…`) with a fresh random salt.
pub fn hash(cost: HashCost, secret: &str) -> Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    cost.hasher()?
        .hash_password(secret.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| Error::Storage(format!("argon2: {e}")))
}

/// Whether `secret` matches the stored PHC string. A stored hash that does
/// not parse is damage, not a wrong passphrase.
pub fn verify(stored: &str, secret: &str) -> Result<bool> {
    let parsed = PasswordHash::new(stored).map_err(|_| Error::Integrity)?;
    Ok(Argon2::default()
        .verify_password(secret.as_bytes(), &parsed)
        .is_ok())
}

/// Letters and digits that cannot be mistaken for one another when read
/// aloud or copied from a screen (no 0/O, 1/I/L).
const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";

/// A one-time setup code like `K7QXM-2PDHA` (about 49 bits).
pub fn new_setup_code() -> String {
    let mut rng = rand::rngs::OsRng;
    let chars: String = (0..10)
        .map(|_| CODE_ALPHABET[rng.gen_range(0..CODE_ALPHABET.len())] as char)
        .collect();
    format!("{}-{}", &chars[..5], &chars[5..])
}

/// A recovery code like `K7QXM-2PDHA-…` in four groups (about 99 bits):
/// strong enough to wrap keys with, printable, and typed like a setup code.
pub fn new_recovery_code() -> String {
    let mut rng = rand::rngs::OsRng;
    let groups: Vec<String> = (0..4)
        .map(|_| {
            (0..5)
                .map(|_| CODE_ALPHABET[rng.gen_range(0..CODE_ALPHABET.len())] as char)
                .collect()
        })
        .collect();
    groups.join("-")
}

/// People type codes with spaces, dashes and lower case; compare without.
pub fn normalise_setup_code(code: &str) -> String {
    code.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_verifies_only_the_same_secret() {
        let h = hash(HashCost::FAST_FOR_TESTS, "correct horse").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify(&h, "correct horse").unwrap());
        assert!(!verify(&h, "correct horsE").unwrap());
        assert!(matches!(verify("garbage", "x"), Err(Error::Integrity)));
    }

    #[test]
    fn setup_codes_are_readable_and_normalise() {
        let code = new_setup_code();
        assert_eq!(code.len(), 11);
        assert!(code
            .chars()
            .all(|c| c == '-' || CODE_ALPHABET.contains(&(c as u8))));
        assert_eq!(normalise_setup_code(" k7qxm 2pdha "), "K7QXM2PDHA");
        assert_ne!(new_setup_code(), new_setup_code());
    }
}
