//! Passphrase → key-encryption key, with Argon2id.
//!
//! The KEK only unwraps a person's stored secrets (see `wrap`); it is never
//! stored. Each stored wrap records the parameters it was made with, so the
//! cost can be raised later without locking anyone out.

use argon2::{Algorithm, Argon2, Params, Version};
use serde::{Deserialize, Serialize};

use super::keys::{Key, KEY_LEN};
use crate::{Error, Result};

/// Length of the random per-person salt.
pub const SALT_LEN: usize = 16;

/// Argon2id cost. `memory_kib` is in KiB (1024-byte blocks).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KdfParams {
    pub memory_kib: u32,
    pub iterations: u32,
    pub parallelism: u32,
}

/// Upper bounds on what `decode` accepts, so a tampered database cannot make
/// an unlock allocate terabytes or run for hours.
const MAX_MEMORY_KIB: u32 = 1024 * 1024; // 1 GiB
const MAX_ITERATIONS: u32 = 64;
const MAX_PARALLELISM: u32 = 16;
/// Memory × passes, in KiB: about eight times today's standard cost
/// (64 MiB × 13), so a planted value cannot stall sign-in for minutes.
const MAX_WORK_KIB: u64 = 8 * 64 * 1024 * 13;

impl KdfParams {
    /// What real databases use: 64 MiB, about half a second per unlock.
    ///
    /// Measured on the development machine (2 cores, Debian 12) with
    /// `cargo test --release -p tillid-core --lib time_standard_kdf --
    /// --ignored --nocapture`: m=65536 costs about 35 ms per pass on top of
    /// about 30 ms fixed; t=11 took 0.48 s, t=13 0.51 s, t=15 0.65 s. Slower
    /// office laptops will take longer, which is still bearable at unlock.
    /// The argon2 crate computes lanes one after another (no `parallel`
    /// feature), so `p > 1` would only add time, not use the second core.
    pub const STANDARD: KdfParams = KdfParams {
        memory_kib: 64 * 1024,
        iterations: 13,
        parallelism: 1,
    };

    /// For tests only: a real Argon2id derivation that takes microseconds.
    pub const FAST_FOR_TESTS: KdfParams = KdfParams {
        memory_kib: 256,
        iterations: 1,
        parallelism: 1,
    };

    /// The short form stored next to a wrap: `m=65536,t=3,p=1`.
    pub fn encode(&self) -> String {
        format!(
            "m={},t={},p={}",
            self.memory_kib, self.iterations, self.parallelism
        )
    }

    /// Parses exactly what [`encode`](Self::encode) writes, and only values
    /// Argon2 accepts within sane bounds. Anything else is damaged storage.
    pub fn decode(s: &str) -> Result<KdfParams> {
        let mut parts = s.split(',');
        let mut field = |name: &str| -> Result<u32> {
            let part = parts.next().ok_or(Error::Integrity)?;
            let digits = part
                .strip_prefix(name)
                .and_then(|rest| rest.strip_prefix('='))
                .ok_or(Error::Integrity)?;
            // u32::from_str also takes a leading '+'; we want one spelling.
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return Err(Error::Integrity);
            }
            digits.parse().map_err(|_| Error::Integrity)
        };
        let params = KdfParams {
            memory_kib: field("m")?,
            iterations: field("t")?,
            parallelism: field("p")?,
        };
        if parts.next().is_some()
            || params.memory_kib > MAX_MEMORY_KIB
            || params.iterations > MAX_ITERATIONS
            || params.parallelism > MAX_PARALLELISM
            || u64::from(params.memory_kib) * u64::from(params.iterations) > MAX_WORK_KIB
            || params.argon2_params().is_err()
        {
            return Err(Error::Integrity);
        }
        Ok(params)
    }

    fn argon2_params(&self) -> Result<Params> {
        Params::new(
            self.memory_kib,
            self.iterations,
            self.parallelism,
            Some(KEY_LEN),
        )
        .map_err(|e| Error::Storage(format!("argon2 parameters: {e}")))
    }
}

/// The key-encryption key for `passphrase` under this person's salt. A wrong
/// passphrase does not fail here; it yields a different key, which then fails
/// to unwrap the person's secrets.
pub fn derive_kek(passphrase: &str, salt: &[u8; SALT_LEN], params: KdfParams) -> Result<Key> {
    let argon2 = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.argon2_params()?);
    let mut kek = Key::zeroed();
    argon2
        .hash_password_into(passphrase.as_bytes(), salt, kek.as_mut_bytes())
        .map_err(|e| Error::Storage(format!("argon2: {e}")))?;
    Ok(kek)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SALT: [u8; SALT_LEN] = [7; SALT_LEN];

    #[test]
    fn same_inputs_same_key_any_change_another() {
        let p = KdfParams::FAST_FOR_TESTS;
        let k = derive_kek("correct horse", &SALT, p).unwrap();
        assert_eq!(
            k.as_bytes(),
            derive_kek("correct horse", &SALT, p).unwrap().as_bytes()
        );
        assert_ne!(
            k.as_bytes(),
            derive_kek("correct horsf", &SALT, p).unwrap().as_bytes()
        );
        assert_ne!(
            k.as_bytes(),
            derive_kek("correct horse", &[8; SALT_LEN], p)
                .unwrap()
                .as_bytes()
        );
        let slower = KdfParams { iterations: 2, ..p };
        assert_ne!(
            k.as_bytes(),
            derive_kek("correct horse", &SALT, slower)
                .unwrap()
                .as_bytes()
        );
    }

    #[test]
    fn is_argon2id_v13_with_a_32_byte_output() {
        // Guards against a silent switch of variant or version, which would
        // lock everyone out of an existing database.
        let p = KdfParams::FAST_FOR_TESTS;
        let params = Params::new(p.memory_kib, p.iterations, p.parallelism, Some(32)).unwrap();
        let mut expected = [0u8; 32];
        Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
            .hash_password_into(b"pw", &SALT, &mut expected)
            .unwrap();
        assert_eq!(derive_kek("pw", &SALT, p).unwrap().as_bytes(), &expected);
    }

    #[test]
    fn impossible_params_are_a_storage_error() {
        let bad = KdfParams {
            memory_kib: 1,
            iterations: 1,
            parallelism: 1,
        };
        assert!(matches!(
            derive_kek("x", &SALT, bad),
            Err(Error::Storage(_))
        ));
    }

    #[test]
    fn params_encode_and_decode() {
        for p in [KdfParams::STANDARD, KdfParams::FAST_FOR_TESTS] {
            assert_eq!(KdfParams::decode(&p.encode()).unwrap(), p);
        }
        assert_eq!(KdfParams::STANDARD.encode(), "m=65536,t=13,p=1");
        let json = serde_json::to_string(&KdfParams::STANDARD).unwrap();
        assert_eq!(
            serde_json::from_str::<KdfParams>(&json).unwrap(),
            KdfParams::STANDARD
        );
    }

    #[test]
    fn decode_rejects_garbage() {
        for s in [
            "",
            "m=65536",
            "m=65536,t=3",
            "m=65536,t=3,p=1,",
            "m=65536,t=3,p=1,x=2",
            "t=3,m=65536,p=1",
            "m=65536;t=3;p=1",
            "m=+65536,t=3,p=1",
            "m=-1,t=3,p=1",
            "m=,t=3,p=1",
            "m=65536,t=3,p=1 ",
            " m=65536,t=3,p=1",
            "M=65536,t=3,p=1",
            "m=99999999999,t=3,p=1",
            "m=1,t=3,p=1",
            "m=65536,t=0,p=1",
            "m=65536,t=3,p=0",
            "m=65536,t=1000,p=1",
            "m=4294967295,t=3,p=1",
            "m=65536,t=3,p=17",
            "m=６５５３６,t=3,p=1",
        ] {
            assert!(
                matches!(KdfParams::decode(s), Err(Error::Integrity)),
                "accepted {s:?}"
            );
        }
    }

    /// Not a check: prints how long one STANDARD derivation takes. Run in
    /// release mode to choose `KdfParams::STANDARD` (see its comment).
    #[test]
    #[ignore]
    fn time_standard_kdf() {
        let t = KdfParams::STANDARD.iterations;
        for iterations in [1, t - 2, t, t + 2] {
            let p = KdfParams {
                iterations,
                ..KdfParams::STANDARD
            };
            derive_kek("warm up", &SALT, p).unwrap();
            let runs = 5;
            let start = std::time::Instant::now();
            for _ in 0..runs {
                derive_kek("correct horse battery staple", &SALT, p).unwrap();
            }
            println!(
                "{}: {:?} per derivation",
                p.encode(),
                start.elapsed() / runs
            );
        }
    }
}
