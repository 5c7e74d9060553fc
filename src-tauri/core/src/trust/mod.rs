//! What a person may rely on when the file itself may have been edited.
//!
//! Every fact that grants a right or decides who receives a key is read
//! from here, verified, and never from a row on trust:
//!
//! - [`roster`]: who is here, their public keys, who administers, who
//!   manages whom, groups and their key eras — signed by administrators in
//!   a hash chain of heads.
//! - [`Pins`]: what each person has trusted (the roster head and everyone's
//!   key fingerprints), sealed with their own content key, so a rolled-back
//!   roster or a swapped key is noticed at their next unlock and named.
//!
//! See docs/threat-model.md, "Someone who edits the file".

pub mod roster;
pub mod rows;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::crypto::{put_prefixed, seal, Key};
use crate::{Error, Result};

pub use roster::{GroupEntry, Keys, PersonEntry, Roster};

const PINS_DOMAIN: &[u8] = b"tillid/pins/v1";

/// The roster head a person last verified. Version 0: none seen yet.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pin {
    pub version: i64,
    pub head: String,
}

/// What a person has trusted, sealed under their content key. Its mere
/// presence also says the person's content is all sealed: from then on a
/// plain value they could read is a forgery.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Pins {
    pub roster: Pin,
    /// Key fingerprints of the people they have seen, by person id.
    pub keys: BTreeMap<i64, String>,
}

fn pins_aad(person: i64) -> Vec<u8> {
    let mut out = Vec::new();
    put_prefixed(&mut out, PINS_DOMAIN);
    out.extend_from_slice(&person.to_be_bytes());
    out
}

impl Pins {
    pub fn seal(&self, person: i64, content_key: &Key) -> Result<Vec<u8>> {
        let json = serde_json::to_vec(self).map_err(|e| Error::Storage(e.to_string()))?;
        seal::seal(content_key, &pins_aad(person), &json)
    }

    pub fn open(person: i64, content_key: &Key, sealed: &[u8]) -> Result<Pins> {
        let json = seal::open(content_key, &pins_aad(person), sealed)?;
        serde_json::from_slice(&json).map_err(|_| Error::Integrity)
    }

    /// Pins for the roster as it now stands.
    pub fn of(roster: &Roster) -> Pins {
        Pins {
            roster: roster.pin(),
            keys: roster::fingerprints(roster),
        }
    }
}

/// Something a person should know at sign-in: a colleague's key changed, or
/// the roster could not be verified. Shown by name, translated by `kind`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TrustWarning {
    /// `key_changed`, `key_missing`, `own_key_mismatch`, `roster_unverified`.
    pub kind: &'static str,
    pub person_id: Option<i64>,
    pub name: Option<String>,
}

/// Compares what the person pinned with the verified roster.
pub fn changes(me: i64, pins: &Pins, roster: &Roster) -> Vec<TrustWarning> {
    let mut out = Vec::new();
    for (id, pinned) in &pins.keys {
        if *id == me {
            continue;
        }
        let now = roster.keys_of(*id).map(|k| k.fingerprint());
        let name = roster.people.get(id).map(|p| p.name.clone());
        match now {
            Some(fp) if fp == *pinned => {}
            // Someone removed from the roster is not a warning by itself.
            None if name.is_none() => {}
            Some(_) => out.push(TrustWarning {
                kind: "key_changed",
                person_id: Some(*id),
                name,
            }),
            None => out.push(TrustWarning {
                kind: "key_missing",
                person_id: Some(*id),
                name,
            }),
        }
    }
    out
}

pub fn encode_key(bytes: &[u8; 32]) -> String {
    hex::encode(bytes)
}

pub fn decode_key(text: &str) -> Result<[u8; 32]> {
    let mut out = [0u8; 32];
    hex::decode_to_slice(text, &mut out).map_err(|_| Error::Integrity)?;
    Ok(out)
}
