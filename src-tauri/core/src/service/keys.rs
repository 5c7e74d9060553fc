//! The life of keys in the database: a person's secrets wrapped under their
//! passphrase (or setup code, or recovery code), and space keys wrapped to
//! each member of a pair or group.

use rusqlite::{params, Connection, OptionalExtension};

use super::{Actor, Tillid};
use crate::codec::{FieldRef, Space};
use crate::crypto::kdf::{derive_kek, SALT_LEN};
use crate::crypto::{wrap, KdfParams, Key, PersonSecrets};
use crate::{Error, Result};

/// What a person's secrets are wrapped under.
#[derive(Clone, Copy)]
pub(crate) enum Lock {
    Passphrase,
    SetupCode,
    Recovery,
}

impl Lock {
    fn aad(self, person: i64) -> Vec<u8> {
        let purpose = match self {
            // A setup code stands in for the passphrase until it is chosen.
            Lock::Passphrase | Lock::SetupCode => "passphrase",
            Lock::Recovery => "recovery",
        };
        format!("tillid/person/{person}/{purpose}").into_bytes()
    }
}

/// A person's secrets wrapped under a secret they know.
pub(crate) struct Wrapped {
    pub kdf: String,
    pub salt: Vec<u8>,
    pub wrapped: Vec<u8>,
}

pub(crate) fn wrap_secrets(
    secrets: &PersonSecrets,
    person: i64,
    lock: Lock,
    secret: &str,
    params: KdfParams,
) -> Result<Wrapped> {
    let mut salt = [0u8; SALT_LEN];
    rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut salt);
    let kek = derive_kek(secret, &salt, params)?;
    wrap_with_kek(secrets, person, lock, &kek, &salt, params)
}

/// Wraps under a key already derived (seeding derives one for everyone).
pub(crate) fn wrap_with_kek(
    secrets: &PersonSecrets,
    person: i64,
    lock: Lock,
    kek: &Key,
    salt: &[u8; SALT_LEN],
    params: KdfParams,
) -> Result<Wrapped> {
    Ok(Wrapped {
        kdf: params.encode(),
        salt: salt.to_vec(),
        wrapped: wrap::wrap_with_key(kek, &lock.aad(person), secrets.to_bytes().as_slice())?,
    })
}

/// Unwraps with the secret the person typed; a wrong one fails as
/// `Integrity`, which callers turn into the right "wrong …" error.
pub(crate) fn unwrap_secrets(
    w: &Wrapped,
    person: i64,
    lock: Lock,
    secret: &str,
) -> Result<PersonSecrets> {
    let salt: [u8; SALT_LEN] = w.salt.as_slice().try_into().map_err(|_| Error::Integrity)?;
    let kek = derive_kek(secret, &salt, KdfParams::decode(&w.kdf)?)?;
    let bytes = wrap::unwrap_with_key(&kek, &lock.aad(person), &w.wrapped)?;
    PersonSecrets::from_bytes(&bytes)
}

pub(crate) fn load_wrapped(conn: &Connection, person: i64, lock: Lock) -> Result<Option<Wrapped>> {
    let sql = match lock {
        Lock::Passphrase | Lock::SetupCode => {
            "SELECT kdf, salt, wrapped FROM person_key WHERE person_id = ?1"
        }
        Lock::Recovery => {
            "SELECT recovery_kdf, recovery_salt, recovery_wrapped FROM person_key
             WHERE person_id = ?1 AND recovery_wrapped IS NOT NULL"
        }
    };
    Ok(conn
        .query_row(sql, [person], |r| {
            Ok(Wrapped {
                kdf: r.get(0)?,
                salt: r.get(1)?,
                wrapped: r.get(2)?,
            })
        })
        .optional()?)
}

/// Stores new secrets for a person under `w`, replacing any old ones; the
/// old secrets' space keys are useless now, so their wraps go too.
pub(crate) fn store_new_secrets(
    conn: &Connection,
    person: i64,
    secrets: &PersonSecrets,
    w: &Wrapped,
    at: &str,
) -> Result<()> {
    conn.execute(
        "INSERT INTO person_key (person_id, public_key, kdf, salt, wrapped, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (person_id) DO UPDATE SET public_key = excluded.public_key, kdf = excluded.kdf,
             salt = excluded.salt, wrapped = excluded.wrapped, recovery_kdf = NULL, recovery_salt = NULL,
             recovery_wrapped = NULL, created_at = excluded.created_at",
        params![person, secrets.public_key().to_vec(), w.kdf, w.salt, w.wrapped, at],
    )?;
    conn.execute("DELETE FROM space_key WHERE person_id = ?1", [person])?;
    Ok(())
}

pub(crate) fn rewrap(conn: &Connection, person: i64, lock: Lock, w: &Wrapped) -> Result<()> {
    let sql = match lock {
        Lock::Passphrase | Lock::SetupCode => "UPDATE person_key SET kdf = ?2, salt = ?3, wrapped = ?4 WHERE person_id = ?1",
        Lock::Recovery => {
            "UPDATE person_key SET recovery_kdf = ?2, recovery_salt = ?3, recovery_wrapped = ?4 WHERE person_id = ?1"
        }
    };
    conn.execute(sql, params![person, w.kdf, w.salt, w.wrapped])?;
    Ok(())
}

/// The row that names a shared space.
pub(crate) fn space_ident(space: Space) -> Option<(&'static str, i64, i64)> {
    match space {
        Space::Pair { manager, employee } => Some(("pair", manager, employee)),
        Space::Group { team } => Some(("group", team, 0)),
        Space::Private { .. } => None,
    }
}

fn space_id(conn: &Connection, space: Space) -> Result<Option<i64>> {
    let Some((kind, a, b)) = space_ident(space) else {
        return Ok(None);
    };
    Ok(conn
        .query_row(
            "SELECT id FROM space WHERE kind = ?1 AND a = ?2 AND b = ?3",
            params![kind, a, b],
            |r| r.get(0),
        )
        .optional()?)
}

fn space_key_aad(space: Space, person: i64) -> Vec<u8> {
    let (kind, a, b) = space_ident(space).unwrap_or(("private", 0, 0));
    format!("tillid/space/{kind}/{a}/{b}/to/{person}").into_bytes()
}

/// Who may hold a space's key: the pair, or a group's leader, its members
/// and everyone who sat in one of its dialogues.
pub(crate) fn members(conn: &Connection, space: Space) -> Result<Vec<i64>> {
    let mut ids: Vec<i64> = match space {
        Space::Pair { manager, employee } => vec![manager, employee],
        Space::Private { owner } => vec![owner],
        Space::Group { team } => {
            let mut stmt = conn.prepare_cached(
                "SELECT leader_id FROM team WHERE id = ?1
                 UNION SELECT person_id FROM team_member WHERE team_id = ?1
                 UNION SELECT p.person_id FROM participant p JOIN dialogue d ON d.id = p.dialogue_id WHERE d.team_id = ?1",
            )?;
            let rows = stmt.query_map([team], |r| r.get(0))?;
            rows.collect::<rusqlite::Result<_>>()?
        }
    };
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
}

fn public_key(conn: &Connection, person: i64) -> Result<Option<[u8; 32]>> {
    let bytes: Option<Vec<u8>> = conn
        .query_row(
            "SELECT public_key FROM person_key WHERE person_id = ?1",
            [person],
            |r| r.get(0),
        )
        .optional()?;
    bytes
        .map(|b| b.as_slice().try_into().map_err(|_| Error::Integrity))
        .transpose()
}

/// Wraps `key` to every member who has a public key and no wrap yet.
/// Returns how many were added.
pub(crate) fn wrap_to_members(
    conn: &Connection,
    space: Space,
    space_row: i64,
    key: &Key,
) -> Result<usize> {
    let mut added = 0;
    for member in members(conn, space)? {
        let has: bool = conn.query_row(
            "SELECT count(*) > 0 FROM space_key WHERE space_id = ?1 AND person_id = ?2",
            [space_row, member],
            |r| r.get(0),
        )?;
        if has {
            continue;
        }
        if let Some(public) = public_key(conn, member)? {
            let wrapped = wrap::wrap_to_public(&public, &space_key_aad(space, member), key)?;
            conn.execute(
                "INSERT INTO space_key (space_id, person_id, wrapped) VALUES (?1, ?2, ?3)",
                params![space_row, member, wrapped],
            )?;
            added += 1;
        }
    }
    Ok(added)
}

impl Tillid {
    /// The key for a space as `person` holds it: from memory, or unwrapped
    /// from the database with their secret key.
    pub(crate) fn key_for(&self, person: i64, space: Space) -> Result<Key> {
        if let Some(key) = self.vault.cached(person, space) {
            return Ok(key);
        }
        let unlocked = self.vault.get(person)?;
        if let Space::Private { .. } = space {
            return Err(Error::Forbidden);
        }
        let Some(row) = space_id(&self.conn, space)? else {
            return Err(Error::Integrity);
        };
        let wrapped: Option<Vec<u8>> = self
            .conn
            .query_row(
                "SELECT wrapped FROM space_key WHERE space_id = ?1 AND person_id = ?2",
                [row, person],
                |r| r.get(0),
            )
            .optional()?;
        match wrapped {
            Some(w) => {
                let key = wrap::unwrap_with_secret(
                    &unlocked.secrets.x25519,
                    &space_key_aad(space, person),
                    &w,
                )?;
                self.vault.cache(person, space, key.clone());
                Ok(key)
            }
            None => Err(Error::KeyPending {
                names: self.key_holders(row)?,
            }),
        }
    }

    fn key_holders(&self, space_row: i64) -> Result<String> {
        let mut stmt = self.conn.prepare(
            "SELECT p.name FROM space_key k JOIN person p ON p.id = k.person_id
             WHERE k.space_id = ?1 ORDER BY p.name COLLATE NOCASE",
        )?;
        let names = stmt.query_map([space_row], |r| r.get::<_, String>(0))?;
        Ok(names.collect::<rusqlite::Result<Vec<_>>>()?.join(", "))
    }

    /// Makes sure `person` holds the key of `space` before a write seals
    /// with it, creating the space's key if it has none yet.
    pub(crate) fn prepare_key(&mut self, person: i64, space: Space) -> Result<()> {
        match self.key_for(person, space) {
            Err(Error::Integrity) if space_id(&self.conn, space)?.is_none() => {}
            other => return other.map(drop),
        }
        let key = Key::random();
        let (kind, a, b) = space_ident(space).ok_or(Error::Forbidden)?;
        let now = self.stamp();
        let tx = super::write(&mut self.conn)?;
        tx.execute(
            "INSERT INTO space (kind, a, b, created_at) VALUES (?1, ?2, ?3, ?4)",
            params![kind, a, b, now],
        )?;
        let row = tx.last_insert_rowid();
        wrap_to_members(&tx, space, row, &key)?;
        tx.commit()?;
        self.vault.cache(person, space, key);
        Ok(())
    }

    /// Opens a stored value as `actor` may read it.
    pub(crate) fn open_as(&self, actor: &Actor, field: &FieldRef, sealed: &[u8]) -> Result<String> {
        if super::vault::is_plain(sealed) {
            return super::vault::open_with(None, field, sealed);
        }
        let key = self.key_for(actor.id, field.space)?;
        super::vault::open_with(Some(&key), field, sealed)
    }

    /// Shares the keys `person` holds with members who lack them: people
    /// who joined a group, were reset, or set up after the space began.
    pub(crate) fn grant_pending(&mut self, person: i64) -> Result<usize> {
        let spaces: Vec<(i64, String, i64, i64)> = {
            let mut stmt = self.conn.prepare(
                "SELECT s.id, s.kind, s.a, s.b FROM space s JOIN space_key k ON k.space_id = s.id WHERE k.person_id = ?1",
            )?;
            let rows = stmt.query_map([person], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        let mut granted = 0;
        for (row, kind, a, b) in spaces {
            let space = match kind.as_str() {
                "pair" => Space::Pair {
                    manager: a,
                    employee: b,
                },
                _ => Space::Group { team: a },
            };
            let key = self.key_for(person, space)?;
            let tx = super::write(&mut self.conn)?;
            granted += wrap_to_members(&tx, space, row, &key)?;
            tx.commit()?;
        }
        Ok(granted)
    }
}
