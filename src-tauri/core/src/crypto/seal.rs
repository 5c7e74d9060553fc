//! Authenticated encryption of one value: XChaCha20-Poly1305 with a random
//! 24-byte nonce (large enough that random nonces never repeat in practice,
//! so no counter has to be kept in the database).
//!
//! Sealed format: `[FORMAT_V1][nonce 24][ciphertext || tag 16]`.

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use rand::rngs::OsRng;
use rand::RngCore;
use zeroize::Zeroizing;

use super::keys::Key;
use super::{put_prefixed, FORMAT_V1};
use crate::codec::{FieldRef, Space};
use crate::{Error, Result};

pub const NONCE_LEN: usize = 24;
pub const TAG_LEN: usize = 16;
/// The shortest sealed value: header, nonce and tag around empty text.
pub const MIN_SEALED_LEN: usize = 1 + NONCE_LEN + TAG_LEN;

/// Domain of [`field_aad`], so a field's associated data can never equal
/// that of a key wrap.
const FIELD_DOMAIN: &[u8] = b"tillid/field/v1";

/// Encrypts `plaintext` under `key`, bound to `aad`: opening needs the same
/// key and the same `aad`.
pub fn seal(key: &Key, aad: &[u8], plaintext: &[u8]) -> Result<Vec<u8>> {
    let (nonce, ciphertext) = seal_raw(key, &header_aad(&[FORMAT_V1], aad), plaintext)?;
    let mut out = Vec::with_capacity(1 + NONCE_LEN + ciphertext.len());
    out.push(FORMAT_V1);
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&ciphertext);
    Ok(out)
}

/// Reverses [`seal`]. A wrong key, wrong `aad`, unknown format or any
/// changed byte is [`Error::Integrity`]; the plaintext is wiped on drop.
pub fn open(key: &Key, aad: &[u8], sealed: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
    if sealed.len() < MIN_SEALED_LEN || sealed[0] != FORMAT_V1 {
        return Err(Error::Integrity);
    }
    let (nonce, ciphertext) = sealed[1..].split_at(NONCE_LEN);
    open_raw(key, &header_aad(&sealed[..1], aad), nonce, ciphertext)
}

/// The associated data of a content field: the format version, table,
/// column, row and space, each length-prefixed or fixed-width, so a value
/// copied to any other place fails to open.
pub fn field_aad(field: &FieldRef) -> Vec<u8> {
    let mut out = Vec::with_capacity(96);
    put_prefixed(&mut out, FIELD_DOMAIN);
    out.push(FORMAT_V1);
    put_prefixed(&mut out, field.table.as_bytes());
    put_prefixed(&mut out, field.column.as_bytes());
    out.extend_from_slice(&field.row.to_be_bytes());
    // A tag byte for the kind of space, then its fixed number of ids.
    let mut space = |tag: u8, ids: &[i64]| {
        out.push(tag);
        for id in ids {
            out.extend_from_slice(&id.to_be_bytes());
        }
    };
    match field.space {
        Space::Private { owner } => space(1, &[owner]),
        Space::Pair { manager, employee } => space(2, &[manager, employee]),
        // Era 0 keeps the form group content had before eras.
        Space::Group { team, era: 0 } => space(3, &[team]),
        Space::Group { team, era } => space(4, &[team, era]),
        Space::Workplace => space(5, &[]),
    }
    out
}

/// The AEAD's associated data: the blob's own header in front of the
/// caller's, so the format byte (and, for wraps, the ephemeral key) is
/// authenticated too.
pub(super) fn header_aad(header: &[u8], aad: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(16 + header.len() + aad.len());
    put_prefixed(&mut out, header);
    out.extend_from_slice(aad);
    out
}

/// Encrypts with a fresh random nonce; returns the nonce and `ct || tag`.
pub(super) fn seal_raw(
    key: &Key,
    aad: &[u8],
    plaintext: &[u8],
) -> Result<([u8; NONCE_LEN], Vec<u8>)> {
    let cipher = XChaCha20Poly1305::new(key.as_bytes().into());
    let mut nonce = [0u8; NONCE_LEN];
    OsRng.fill_bytes(&mut nonce);
    // Fails only for plaintexts beyond 256 GiB.
    let ciphertext = cipher
        .encrypt(
            XNonce::from_slice(&nonce),
            Payload {
                msg: plaintext,
                aad,
            },
        )
        .map_err(|_| Error::Storage("encryption failed".into()))?;
    Ok((nonce, ciphertext))
}

/// Decrypts `ct || tag` under `nonce`, which must be 24 bytes.
pub(super) fn open_raw(
    key: &Key,
    aad: &[u8],
    nonce: &[u8],
    ciphertext: &[u8],
) -> Result<Zeroizing<Vec<u8>>> {
    if nonce.len() != NONCE_LEN || ciphertext.len() < TAG_LEN {
        return Err(Error::Integrity);
    }
    let cipher = XChaCha20Poly1305::new(key.as_bytes().into());
    cipher
        .decrypt(
            XNonce::from_slice(nonce),
            Payload {
                msg: ciphertext,
                aad,
            },
        )
        .map(Zeroizing::new)
        .map_err(|_| Error::Integrity)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const F: FieldRef = FieldRef {
        table: "note",
        column: "body",
        row: 42,
        space: Space::Pair {
            manager: 1,
            employee: 2,
        },
    };

    #[test]
    fn round_trips_including_empty_text() {
        let k = Key::random();
        for text in [&b""[..], "Æble og ø".as_bytes(), &[0u8; 5000][..]] {
            let sealed = seal(&k, b"aad", text).unwrap();
            assert_eq!(sealed.len(), MIN_SEALED_LEN + text.len());
            assert_eq!(sealed[0], FORMAT_V1);
            assert_eq!(&open(&k, b"aad", &sealed).unwrap()[..], text);
        }
    }

    #[test]
    fn two_seals_of_the_same_text_differ() {
        let k = Key::random();
        let a = seal(&k, b"", b"same").unwrap();
        let b = seal(&k, b"", b"same").unwrap();
        assert_ne!(a, b);
        assert_ne!(a[1..1 + NONCE_LEN], b[1..1 + NONCE_LEN]);
    }

    #[test]
    fn the_plaintext_does_not_appear_in_the_sealed_value() {
        let k = Key::random();
        let sealed = seal(&k, b"", b"a secret about Bo").unwrap();
        assert!(!sealed.windows(6).any(|w| w == b"secret"));
    }

    #[test]
    fn wrong_key_aad_format_or_length_is_integrity() {
        let k = Key::random();
        let sealed = seal(&k, b"aad", b"text").unwrap();
        assert!(matches!(
            open(&Key::random(), b"aad", &sealed),
            Err(Error::Integrity)
        ));
        assert!(matches!(open(&k, b"aae", &sealed), Err(Error::Integrity)));
        assert!(matches!(open(&k, b"", &sealed), Err(Error::Integrity)));
        for format in [0u8, 2, 255] {
            let mut other = sealed.clone();
            other[0] = format;
            assert!(matches!(open(&k, b"aad", &other), Err(Error::Integrity)));
        }
        for len in 0..MIN_SEALED_LEN {
            assert!(matches!(
                open(&k, b"aad", &sealed[..len]),
                Err(Error::Integrity)
            ));
        }
        let mut longer = sealed.clone();
        longer.push(0);
        assert!(matches!(open(&k, b"aad", &longer), Err(Error::Integrity)));
    }

    #[test]
    fn a_field_opens_only_in_its_own_place() {
        let k = Key::random();
        let sealed = seal(&k, &field_aad(&F), b"text").unwrap();
        assert_eq!(&open(&k, &field_aad(&F), &sealed).unwrap()[..], b"text");
        let elsewhere = [
            FieldRef {
                table: "agenda",
                ..F
            },
            FieldRef {
                column: "title",
                ..F
            },
            FieldRef { row: 43, ..F },
            FieldRef { row: -42, ..F },
            FieldRef {
                space: Space::Pair {
                    manager: 2,
                    employee: 1,
                },
                ..F
            },
            FieldRef {
                space: Space::Pair {
                    manager: 1,
                    employee: 3,
                },
                ..F
            },
            FieldRef {
                space: Space::Private { owner: 1 },
                ..F
            },
            FieldRef {
                space: Space::Group { team: 1, era: 0 },
                ..F
            },
            FieldRef {
                space: Space::Group { team: 1, era: 1 },
                ..F
            },
        ];
        for other in elsewhere {
            assert_ne!(field_aad(&other), field_aad(&F));
            assert!(
                matches!(open(&k, &field_aad(&other), &sealed), Err(Error::Integrity)),
                "{other:?}"
            );
        }
    }

    #[test]
    fn field_aad_is_unambiguous() {
        // Shifting bytes between table and column must change the encoding.
        let a = FieldRef {
            table: "ab",
            column: "c",
            ..F
        };
        let b = FieldRef {
            table: "a",
            column: "bc",
            ..F
        };
        assert_ne!(field_aad(&a), field_aad(&b));
        // Same id in a different kind of space.
        let private = FieldRef {
            space: Space::Private { owner: 5 },
            ..F
        };
        let group = FieldRef {
            space: Space::Group { team: 5, era: 0 },
            ..F
        };
        assert_ne!(field_aad(&private), field_aad(&group));
    }

    #[test]
    fn field_aad_encoding_is_frozen() {
        // Stored ciphertexts depend on these exact bytes.
        let f = FieldRef {
            table: "t",
            column: "cc",
            row: 258,
            space: Space::Pair {
                manager: 1,
                employee: -1,
            },
        };
        let mut expected = vec![0, 0, 0, 0, 0, 0, 0, 15];
        expected.extend_from_slice(b"tillid/field/v1");
        expected.push(1);
        expected.extend_from_slice(&[0, 0, 0, 0, 0, 0, 0, 1, b't']);
        expected.extend_from_slice(&[0, 0, 0, 0, 0, 0, 0, 2, b'c', b'c']);
        expected.extend_from_slice(&[0, 0, 0, 0, 0, 0, 1, 2]);
        expected.push(2);
        expected.extend_from_slice(&[0, 0, 0, 0, 0, 0, 0, 1]);
        expected.extend_from_slice(&[0xff; 8]);
        assert_eq!(field_aad(&f), expected);
    }

    proptest! {
        #[test]
        fn any_flipped_bit_is_integrity(
            text in proptest::collection::vec(any::<u8>(), 0..64),
            pos in any::<prop::sample::Index>(),
            bit in 0u8..8,
        ) {
            let k = Key::from_bytes(&[9; 32]);
            let mut sealed = seal(&k, &field_aad(&F), &text).unwrap();
            let i = pos.index(sealed.len());
            sealed[i] ^= 1 << bit;
            prop_assert!(matches!(open(&k, &field_aad(&F), &sealed), Err(Error::Integrity)));
        }
    }
}
