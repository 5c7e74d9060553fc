-- Integrity against someone who edits the closed file. Facts that grant a
-- right or decide who receives a key are no longer taken from rows: they
-- live in a roster signed by administrators (hash-chained heads), in key
-- claims signed by the person whose keys they are, and in each person's
-- sealed pins. The clear columns of `person` and `team` stay as what lists
-- and views show; rights are read from the verified roster only.

-- One signed statement per person: name, keys, administrator, manager.
CREATE TABLE roster_person (
    person_id  INTEGER PRIMARY KEY,
    body       BLOB NOT NULL
);

-- One signed statement per group: name, leader, members and key era.
CREATE TABLE roster_group (
    team_id  INTEGER PRIMARY KEY,
    body     BLOB NOT NULL
);

-- Each change to the roster appends a head: its version, the hash of the
-- previous head, the hash of every entry as they stand, and the
-- administrators who may sign the next one; signed by an administrator of
-- the previous head.
CREATE TABLE roster_head (
    version    INTEGER PRIMARY KEY,
    body       BLOB NOT NULL,
    signer_id  INTEGER NOT NULL,
    signature  BLOB NOT NULL
);

-- New keys a person made for themselves (at redeem, or their first unlock
-- after the upgrade), signed with them and, where the roster had earlier
-- keys, with those too. An administrator folds them into the roster.
CREATE TABLE key_claim (
    person_id  INTEGER PRIMARY KEY,
    body       BLOB NOT NULL,
    signature  BLOB NOT NULL
);

-- What the person has trusted (roster head, others' keys), sealed with
-- their own content key.
ALTER TABLE person_key ADD COLUMN pins BLOB;

-- Each content row is signed by whoever wrote it (agreements: by whoever
-- last recorded their wording), confirmations by the confirmer, and the
-- held state by the manager. Rows from before have none; the roster's first
-- head records up to which id that is allowed.
ALTER TABLE agenda_item ADD COLUMN sig BLOB;
ALTER TABLE note ADD COLUMN sig BLOB;
ALTER TABLE agreement ADD COLUMN sig BLOB;
ALTER TABLE agreement ADD COLUMN signer_id INTEGER REFERENCES person(id);
ALTER TABLE agreement_update ADD COLUMN sig BLOB;
ALTER TABLE confirmation ADD COLUMN sig BLOB;
ALTER TABLE dialogue ADD COLUMN held_sig BLOB;

-- A group's key changes when its leader or members change; a group
-- dialogue belongs to the era it was planned in. 0: before eras.
ALTER TABLE dialogue ADD COLUMN era INTEGER NOT NULL DEFAULT 0;
