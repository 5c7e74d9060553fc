//! One-time setup and recovery codes, and checking the passphrase hashes
//! the first, unencrypted version stored (until their owners next sign in
//! and get keys instead).

use argon2::password_hash::{PasswordHash, PasswordVerifier};
use argon2::Argon2;
use rand::Rng;

use crate::{Error, Result};

/// Whether `secret` matches the stored PHC string. A stored hash that does
/// not parse is damage, not a wrong passphrase.
pub fn verify(stored: &str, secret: &str) -> Result<bool> {
    let parsed = PasswordHash::new(stored).map_err(|_| Error::Integrity)?;
    // The costs are read from the file: bounded before any work, so a
    // planted hash cannot make sign-in allocate gigabytes or run for hours.
    let params = argon2::Params::try_from(&parsed).map_err(|_| Error::Integrity)?;
    if params.m_cost() > LEGACY_MAX_MEMORY_KIB
        || params.t_cost() > LEGACY_MAX_ITERATIONS
        || params.p_cost() > LEGACY_MAX_PARALLELISM
    {
        return Err(Error::Integrity);
    }
    Ok(Argon2::default()
        .verify_password(secret.as_bytes(), &parsed)
        .is_ok())
}

/// What the first version could have written (it used argon2's defaults:
/// 19 MiB, 2 passes, 1 lane), with room to spare.
const LEGACY_MAX_MEMORY_KIB: u32 = 256 * 1024;
const LEGACY_MAX_ITERATIONS: u32 = 16;
const LEGACY_MAX_PARALLELISM: u32 = 8;

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

    /// A hash as the first version wrote it.
    fn legacy_hash(secret: &str) -> String {
        use argon2::password_hash::{rand_core::OsRng, PasswordHasher, SaltString};
        let params = argon2::Params::new(256, 1, 1, None).unwrap();
        argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params)
            .hash_password(secret.as_bytes(), &SaltString::generate(&mut OsRng))
            .unwrap()
            .to_string()
    }

    #[test]
    fn hash_verifies_only_the_same_secret() {
        let h = legacy_hash("correct horse");
        assert!(h.starts_with("$argon2id$"));
        assert!(verify(&h, "correct horse").unwrap());
        assert!(!verify(&h, "correct horsE").unwrap());
        assert!(matches!(verify("garbage", "x"), Err(Error::Integrity)));
        // A planted hash asking for 4 GiB is refused before any work.
        let huge = h.replacen("m=256", "m=4194303", 1);
        assert!(huge.contains("m=4194303"), "{huge}");
        assert!(matches!(
            verify(&huge, "correct horse"),
            Err(Error::Integrity)
        ));
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
