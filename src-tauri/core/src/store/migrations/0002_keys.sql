-- Encryption at rest. Each person's secrets (a content key and an X25519
-- key pair) are stored wrapped under a key derived from their passphrase
-- (and, optionally, from a recovery code). Each shared space (a manager and
-- employee pair, or a group) has a random key, wrapped to each member's
-- public key. Existing plain-text content is encrypted at its readers'
-- next unlock; its rows are kept.

ALTER TABLE workplace ADD COLUMN idle_lock_seconds INTEGER NOT NULL DEFAULT 300;

ALTER TABLE person ADD COLUMN setup_pending INTEGER NOT NULL DEFAULT 0 CHECK (setup_pending IN (0, 1));
ALTER TABLE person ADD COLUMN failed_attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE person ADD COLUMN retry_after TEXT;
UPDATE person SET setup_pending = 1 WHERE passphrase_hash IS NULL;

CREATE TABLE person_key (
    person_id         INTEGER PRIMARY KEY REFERENCES person(id),
    public_key        BLOB NOT NULL,
    -- Under the passphrase, or under the one-time setup code while setup is pending.
    kdf               TEXT NOT NULL,
    salt              BLOB NOT NULL,
    wrapped           BLOB NOT NULL,
    recovery_kdf      TEXT,
    recovery_salt     BLOB,
    recovery_wrapped  BLOB,
    created_at        TEXT NOT NULL
);

CREATE TABLE space (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('pair', 'group')),
    -- pair: the manager and the employee; group: the team and 0.
    a           INTEGER NOT NULL,
    b           INTEGER NOT NULL,
    created_at  TEXT NOT NULL,
    UNIQUE (kind, a, b)
);

CREATE TABLE space_key (
    space_id   INTEGER NOT NULL REFERENCES space(id),
    person_id  INTEGER NOT NULL REFERENCES person(id),
    wrapped    BLOB NOT NULL,
    PRIMARY KEY (space_id, person_id)
) WITHOUT ROWID;
CREATE INDEX space_key_person ON space_key(person_id);
