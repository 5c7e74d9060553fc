//! The life of keys in the database: a person's secrets wrapped under their
//! passphrase (or setup code, or recovery code), and space keys wrapped to
//! each member of a pair or group.

use rusqlite::{params, Connection, OptionalExtension};

use super::{trusted, Actor, Tillid};
use crate::codec::{FieldRef, Space};
use crate::crypto::kdf::{derive_kek, SALT_LEN};
use crate::crypto::{sign, wrap, KdfParams, Key, PersonSecrets};
use crate::trust::{encode_key, roster, Pins, Roster};
use crate::{Error, Result};

/// What a person's secrets are wrapped under.
#[derive(Clone, Copy)]
pub(crate) enum Lock {
    Passphrase,
    SetupCode,
    Recovery,
}

impl Lock {
    /// `sealed_era`: wraps made since integrity came in carry "/v2". Such a
    /// person must have pins, and never reads a plain value; an editor of
    /// the file cannot turn a v2 wrap back into a v1 one without the secret.
    fn aad(self, person: i64, sealed_era: bool) -> Vec<u8> {
        let purpose = match self {
            // A setup code stands in for the passphrase until it is chosen.
            Lock::Passphrase | Lock::SetupCode => "passphrase",
            Lock::Recovery => "recovery",
        };
        let era = if sealed_era { "/v2" } else { "" };
        format!("tillid/person/{person}/{purpose}{era}").into_bytes()
    }
}

/// Secrets as unwrapped, with what re-wrapping them needs without a second
/// key derivation.
pub(crate) struct Unwrapped {
    pub secrets: PersonSecrets,
    /// Made since integrity came in (see [`Lock::aad`]).
    pub sealed_era: bool,
    kek: Key,
    salt: [u8; SALT_LEN],
    params: KdfParams,
}

impl Unwrapped {
    /// The same secrets under the same key, in the sealed-era form.
    pub fn rewrap_sealed(&self, person: i64, lock: Lock) -> Result<Wrapped> {
        wrap_with_kek(
            &self.secrets,
            person,
            lock,
            &self.kek,
            &self.salt,
            self.params,
        )
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
        wrapped: wrap::wrap_with_key(kek, &lock.aad(person, true), secrets.to_bytes().as_slice())?,
    })
}

/// Unwraps with the secret the person typed; a wrong one fails as
/// `Integrity`, which callers turn into the right "wrong …" error.
pub(crate) fn unwrap_secrets(
    w: &Wrapped,
    person: i64,
    lock: Lock,
    secret: &str,
) -> Result<Unwrapped> {
    let salt: [u8; SALT_LEN] = w.salt.as_slice().try_into().map_err(|_| Error::Integrity)?;
    let params = KdfParams::decode(&w.kdf)?;
    let kek = derive_kek(secret, &salt, params)?;
    for sealed_era in [true, false] {
        if let Ok(bytes) = wrap::unwrap_with_key(&kek, &lock.aad(person, sealed_era), &w.wrapped) {
            return Ok(Unwrapped {
                secrets: PersonSecrets::from_bytes(&bytes)?,
                sealed_era,
                kek,
                salt,
                params,
            });
        }
    }
    Err(Error::Integrity)
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
             recovery_wrapped = NULL, pins = NULL, created_at = excluded.created_at",
        params![person, secrets.public_key().to_vec(), w.kdf, w.salt, w.wrapped, at],
    )?;
    conn.execute("DELETE FROM space_key WHERE person_id = ?1", [person])?;
    Ok(())
}

/// At redeem: the person's fresh secrets take over from those issued with
/// the setup code. Every space key the issued secrets held is re-wrapped to
/// the fresh public key, the pins the administrator sealed for them move
/// under the fresh content key, and a claim signed with both the issued and
/// the fresh signing keys records the change (an administrator's own claim
/// goes straight into a new roster head, signed with the issued key the
/// roster lists). All in the caller's transaction.
pub(crate) fn hand_over(
    conn: &Connection,
    person: i64,
    issued: &PersonSecrets,
    fresh: &PersonSecrets,
    w: &Wrapped,
    at: &str,
) -> Result<()> {
    let held: Vec<(i64, Space, Vec<u8>)> = {
        let mut stmt = conn.prepare(
            "SELECT s.id, s.kind, s.a, s.b, k.wrapped FROM space_key k JOIN space s ON s.id = k.space_id
             WHERE k.person_id = ?1",
        )?;
        let rows = stmt.query_map([person], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                space_from_row(&r.get::<_, String>(1)?, r.get(2)?, r.get(3)?),
                r.get::<_, Vec<u8>>(4)?,
            ))
        })?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    let pins = trusted::load_pins(conn, person)?
        .map(|sealed| Pins::open(person, &issued.content_key, &sealed))
        .transpose()?;
    store_new_secrets(conn, person, fresh, w, at)?;
    for (row, space, wrapped) in held {
        let aad = space_key_aad(space, person);
        // A wrap that no longer opens is damage to that space alone.
        let Ok(key) = wrap::unwrap_with_secret(&issued.x25519, &aad, &wrapped) else {
            continue;
        };
        conn.execute(
            "INSERT INTO space_key (space_id, person_id, wrapped) VALUES (?1, ?2, ?3)",
            params![
                row,
                person,
                wrap::wrap_to_public(&fresh.public_key(), &aad, &key)?
            ],
        )?;
    }
    let issued_signing = sign::signing_key(issued)?;
    let issued_ed = issued_signing.verifying_key().to_bytes();
    roster::write_claim(
        conn,
        person,
        Some((&issued_signing, issued_ed)),
        fresh.public_key(),
        &sign::signing_key(fresh)?,
    )?;
    if let Some(pins) = pins {
        let trusted = roster::verify(conn, Some(&pins.roster))?;
        let listed = trusted
            .people
            .get(&person)
            .is_some_and(|p| p.admin && p.ed25519 == Some(encode_key(&issued_ed)));
        if listed {
            roster::append_head(conn, person, &issued_signing, at)?;
        }
        trusted::store_pins(conn, person, &pins.seal(person, &fresh.content_key)?)?;
    }
    Ok(())
}

/// The space a `space` row names.
pub(crate) fn space_from_row(kind: &str, a: i64, b: i64) -> Space {
    match kind {
        "pair" => Space::Pair {
            manager: a,
            employee: b,
        },
        "workplace" => Space::Workplace,
        _ => Space::Group { team: a, era: b },
    }
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
        Space::Group { team, era } => Some(("group", team, era)),
        // There is one workplace per file (its row is id 1).
        Space::Workplace => Some(("workplace", 1, 0)),
        Space::Private { .. } => None,
    }
}

pub(crate) fn space_id(conn: &Connection, space: Space) -> Result<Option<i64>> {
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

pub(crate) fn space_key_aad(space: Space, person: i64) -> Vec<u8> {
    let (kind, a, b) = space_ident(space).unwrap_or(("private", 0, 0));
    format!("tillid/space/{kind}/{a}/{b}/to/{person}").into_bytes()
}

/// Who may hold a space's key, by the verified roster: the pair, or the
/// group's leader and members of the era it is in now. An earlier era gets
/// no new holders: a new member starts from the day they join, a former
/// member gets nothing new. The workplace space: everyone the roster lists
/// who has not left.
pub(crate) fn members(roster: &Roster, space: Space) -> Vec<i64> {
    match space {
        Space::Workplace => {
            let mut ids: Vec<i64> = roster
                .people
                .values()
                .filter(|p| !p.left)
                .map(|p| p.id)
                .collect();
            ids.sort_unstable();
            ids
        }
        Space::Pair { manager, employee } => vec![manager, employee],
        Space::Private { owner } => vec![owner],
        Space::Group { team, era } => match roster.groups.get(&team) {
            Some(g) if g.era == era => {
                let mut ids = g.members.clone();
                ids.push(g.leader);
                ids.sort_unstable();
                ids.dedup();
                ids
            }
            _ => Vec::new(),
        },
    }
}

/// Wraps `key` to every member who has a verified public key and no wrap
/// yet. A member whose key cannot take a wrap (damaged, low-order) is
/// skipped, not a failure for everyone else. Returns how many were added.
pub(crate) fn wrap_to_members(
    conn: &Connection,
    roster: &Roster,
    space: Space,
    space_row: i64,
    key: &Key,
) -> Result<usize> {
    let mut added = 0;
    for member in members(roster, space) {
        let has: bool = conn.query_row(
            "SELECT count(*) > 0 FROM space_key WHERE space_id = ?1 AND person_id = ?2",
            [space_row, member],
            |r| r.get(0),
        )?;
        if has {
            continue;
        }
        let Some(keys) = roster.keys_of(member) else {
            continue;
        };
        let Ok(wrapped) = wrap::wrap_to_public(&keys.x25519, &space_key_aad(space, member), key)
        else {
            continue;
        };
        conn.execute(
            "INSERT INTO space_key (space_id, person_id, wrapped) VALUES (?1, ?2, ?3)",
            params![space_row, member, wrapped],
        )?;
        added += 1;
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
        // A new space's key goes only to members the verified roster names,
        // and the writer must be one of them.
        let roster = self.roster(person)?;
        if !members(&roster, space).contains(&person) {
            return Err(Error::Forbidden);
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
        wrap_to_members(&tx, &roster, space, row, &key)?;
        tx.commit()?;
        self.vault.cache(person, space, key);
        Ok(())
    }

    /// Opens a stored value as `actor` may read it.
    pub(crate) fn open_as(&self, actor: &Actor, field: &FieldRef, sealed: &[u8]) -> Result<String> {
        if super::vault::is_plain(sealed) {
            // Plain text is read only while its reader's content from
            // before encryption is being sealed; after that it is forged.
            if !self.vault.get(actor.id)?.accepts_plain() {
                return Err(Error::Integrity);
            }
            return super::vault::open_with(None, field, sealed);
        }
        let key = self.key_for(actor.id, field.space)?;
        super::vault::open_with(Some(&key), field, sealed)
    }

    /// Like [`open_as`](Self::open_as), but a value that fails its integrity
    /// check is shown as damaged (empty text, `true`) instead of failing the
    /// whole page it is on.
    pub(crate) fn open_or_damaged(
        &self,
        actor: &Actor,
        field: &FieldRef,
        sealed: &[u8],
    ) -> Result<(String, bool)> {
        match self.open_as(actor, field, sealed) {
            Ok(text) => Ok((text, false)),
            Err(Error::Integrity) => Ok((String::new(), true)),
            Err(e) => Err(e),
        }
    }

    /// Wraps the workplace key `person` holds to everyone the roster lists
    /// who lacks it: an administrator does so right after adding someone,
    /// so they can read and write workplace content from their first
    /// sign-in. Holding no key yet is no failure; the next holder's
    /// sign-in shares it.
    pub(crate) fn share_workplace_key(&mut self, person: i64) -> Result<()> {
        let Ok(key) = self.key_for(person, Space::Workplace) else {
            return Ok(());
        };
        let Some(row) = space_id(&self.conn, Space::Workplace)? else {
            return Ok(());
        };
        let roster = self.roster(person)?;
        let tx = super::write(&mut self.conn)?;
        wrap_to_members(&tx, &roster, Space::Workplace, row, &key)?;
        tx.commit()?;
        Ok(())
    }

    /// Shares the keys `person` holds with members who lack them: people
    /// who joined a group, were reset, or set up after the space began.
    pub(crate) fn grant_pending(&mut self, person: i64) -> Result<usize> {
        let roster = self.roster(person)?;
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
            let space = space_from_row(&kind, a, b);
            // A wrap of this person's that fails to open is damage to one
            // space, not a reason to share none of the others.
            let Ok(key) = self.key_for(person, space) else {
                continue;
            };
            let tx = super::write(&mut self.conn)?;
            granted += wrap_to_members(&tx, &roster, space, row, &key)?;
            tx.commit()?;
        }
        Ok(granted)
    }
}

impl Tillid {
    /// The key of `space` as the signed-in `actor` holds it, for the
    /// workplace benchmark's raw-SQL twins, which decrypt by hand what a
    /// view decrypts. It opens nothing the actor's views do not open.
    #[doc(hidden)]
    pub fn space_key_of(&self, actor: &Actor, space: Space) -> Result<Key> {
        self.key_for(actor.id, space)
    }
}
