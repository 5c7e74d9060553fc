//! Unlocked keys, in memory only. A person's entry exists from sign-in to
//! lock; dropping it wipes the keys (they zeroize on drop), and with them
//! the person's search index.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::sync::Arc;

use crate::codec::{FieldRef, Space, FORMAT_PLAIN};
use crate::crypto::{seal, Key, PersonSecrets};
use crate::search::SearchIndex;
use crate::trust::{Roster, TrustWarning};
use crate::{Error, Result};

pub(crate) struct Unlocked {
    pub secrets: PersonSecrets,
    /// Space keys unwrapped so far. Interior mutability lets reads fill the
    /// cache; a `Tillid` is used from one thread at a time.
    pub spaces: RefCell<HashMap<Space, Key>>,
    pub search: RefCell<Option<SearchIndex>>,
    pub trust: RefCell<Trust>,
    /// The public half of the person's signing key, derived once: every
    /// view checks row signatures against it.
    signing_public: Cell<Option<[u8; 32]>>,
    /// Row signatures that verified for this person (see `rows::Verified`).
    pub verified: Arc<crate::trust::rows::Verified>,
}

/// What the person verified at unlock.
#[derive(Default)]
pub(crate) struct Trust {
    /// None when the roster failed verification: no right that needs it is
    /// granted and no key is wrapped, until it verifies again.
    pub roster: Option<Arc<Roster>>,
    /// Only while the person's content from before encryption is sealed.
    pub accept_plain: bool,
    pub warnings: Vec<TrustWarning>,
}

impl Unlocked {
    pub fn accepts_plain(&self) -> bool {
        self.trust.borrow().accept_plain
    }

    pub fn signing_public(&self) -> Result<[u8; 32]> {
        if let Some(key) = self.signing_public.get() {
            return Ok(key);
        }
        let key = crate::crypto::sign::public_of(&self.secrets)?;
        self.signing_public.set(Some(key));
        Ok(key)
    }
}

#[derive(Default)]
pub(crate) struct Vault {
    unlocked: HashMap<i64, Unlocked>,
}

impl Vault {
    pub fn insert(&mut self, person: i64, secrets: PersonSecrets) {
        self.unlocked.insert(
            person,
            Unlocked {
                secrets,
                spaces: RefCell::new(HashMap::new()),
                search: RefCell::new(None),
                trust: RefCell::new(Trust::default()),
                signing_public: Cell::new(None),
                verified: Arc::default(),
            },
        );
    }

    pub fn remove(&mut self, person: i64) {
        self.unlocked.remove(&person);
    }

    pub fn get(&self, person: i64) -> Result<&Unlocked> {
        self.unlocked.get(&person).ok_or(Error::NotSignedIn)
    }

    pub fn cached(&self, person: i64, space: Space) -> Option<Key> {
        let unlocked = self.unlocked.get(&person)?;
        match space {
            Space::Private { owner } if owner == person => {
                Some(unlocked.secrets.content_key.clone())
            }
            Space::Private { .. } => None,
            _ => unlocked.spaces.borrow().get(&space).cloned(),
        }
    }

    pub fn cache(&self, person: i64, space: Space, key: Key) {
        if let Some(unlocked) = self.unlocked.get(&person) {
            unlocked.spaces.borrow_mut().insert(space, key);
        }
    }

    /// Seals `text` for `field` with a key already at hand: the author's own
    /// for private content, the space's (prepared before the write began)
    /// for shared content.
    pub fn seal(&self, person: i64, field: &FieldRef, text: &str) -> Result<Vec<u8>> {
        let key = self
            .cached(person, field.space)
            .ok_or_else(|| Error::Storage(format!("no key prepared for {:?}", field.space)))?;
        seal::seal(&key, &seal::field_aad(field), text.as_bytes())
    }
}

/// Opens a value with `key`; plain values written before encryption came in
/// need none.
pub(crate) fn open_with(key: Option<&Key>, field: &FieldRef, sealed: &[u8]) -> Result<String> {
    match sealed.split_first() {
        Some((&FORMAT_PLAIN, text)) => {
            String::from_utf8(text.to_vec()).map_err(|_| Error::Integrity)
        }
        Some(_) => {
            let key = key.ok_or(Error::Integrity)?;
            let plain = seal::open(key, &seal::field_aad(field), sealed)?;
            String::from_utf8(plain.to_vec()).map_err(|_| Error::Integrity)
        }
        None => Err(Error::Integrity),
    }
}

pub(crate) fn is_plain(sealed: &[u8]) -> bool {
    sealed.first() == Some(&FORMAT_PLAIN)
}

#[cfg(test)]
mod tests {
    use super::*;

    const F: FieldRef = FieldRef {
        table: "note",
        column: "body",
        row: 1,
        space: Space::Private { owner: 1 },
    };

    #[test]
    fn plain_values_of_the_first_version_still_open_and_damage_does_not() {
        let plain = [&[FORMAT_PLAIN][..], "Æble og ø".as_bytes()].concat();
        assert_eq!(open_with(None, &F, &plain).unwrap(), "Æble og ø");
        assert!(matches!(
            open_with(None, &F, &[FORMAT_PLAIN, 0xff, 0xfe]),
            Err(Error::Integrity)
        ));
        assert!(matches!(open_with(None, &F, &[]), Err(Error::Integrity)));
        let key = Key::random();
        let sealed = seal::seal(&key, &seal::field_aad(&F), b"x").unwrap();
        assert!(
            matches!(open_with(None, &F, &sealed), Err(Error::Integrity)),
            "no key, no text"
        );
        assert_eq!(open_with(Some(&key), &F, &sealed).unwrap(), "x");
    }
}
