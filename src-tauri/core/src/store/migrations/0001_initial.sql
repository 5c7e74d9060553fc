-- Tillid's first schema. Content text (agenda points, notes, agreements,
-- comments, confirmed summaries) is stored as BLOBs written by the field
-- codec; names, dates, states and who owns what are metadata in clear.

CREATE TABLE workplace (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    name        TEXT NOT NULL,
    created_at  TEXT NOT NULL
);

CREATE TABLE person (
    id               INTEGER PRIMARY KEY,
    name             TEXT NOT NULL,
    is_admin         INTEGER NOT NULL DEFAULT 0 CHECK (is_admin IN (0, 1)),
    manager_id       INTEGER REFERENCES person(id),
    passphrase_hash  TEXT,
    setup_code_hash  TEXT,
    locale           TEXT CHECK (locale IN ('da', 'en')),
    created_at       TEXT NOT NULL
);
CREATE UNIQUE INDEX person_name ON person(name COLLATE NOCASE);
CREATE INDEX person_manager ON person(manager_id);

CREATE TABLE team (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    leader_id   INTEGER NOT NULL REFERENCES person(id),
    created_at  TEXT NOT NULL
);
CREATE UNIQUE INDEX team_name ON team(name COLLATE NOCASE);
CREATE INDEX team_leader ON team(leader_id);

CREATE TABLE team_member (
    team_id     INTEGER NOT NULL REFERENCES team(id) ON DELETE CASCADE,
    person_id   INTEGER NOT NULL REFERENCES person(id),
    PRIMARY KEY (team_id, person_id)
) WITHOUT ROWID;
CREATE INDEX team_member_person ON team_member(person_id);

CREATE TABLE dialogue (
    id               INTEGER PRIMARY KEY,
    kind             TEXT NOT NULL CHECK (kind IN ('follow_up', 'mus', 'grus', 'ad_hoc')),
    manager_id       INTEGER NOT NULL REFERENCES person(id),
    employee_id      INTEGER REFERENCES person(id),
    team_id          INTEGER REFERENCES team(id),
    scheduled_at     TEXT NOT NULL,
    state            TEXT NOT NULL DEFAULT 'planned' CHECK (state IN ('planned', 'held', 'confirmed')),
    held_at          TEXT,
    summary_version  INTEGER NOT NULL DEFAULT 1,
    created_at       TEXT NOT NULL,
    CHECK ((employee_id IS NULL) <> (team_id IS NULL))
);
CREATE INDEX dialogue_pair ON dialogue(manager_id, employee_id, scheduled_at);
-- Partial, so that "team_id IS NULL" (every one-to-one) never picks it.
CREATE INDEX dialogue_team ON dialogue(team_id, scheduled_at) WHERE team_id IS NOT NULL;

-- Who took part, fixed when the dialogue is planned: a group's membership
-- may change later without rewriting who was in the room.
CREATE TABLE participant (
    dialogue_id  INTEGER NOT NULL REFERENCES dialogue(id) ON DELETE CASCADE,
    person_id    INTEGER NOT NULL REFERENCES person(id),
    role         TEXT NOT NULL CHECK (role IN ('manager', 'employee', 'member')),
    PRIMARY KEY (dialogue_id, person_id)
) WITHOUT ROWID;
CREATE INDEX participant_person ON participant(person_id, dialogue_id);

CREATE TABLE agenda_item (
    id             INTEGER PRIMARY KEY,
    dialogue_id    INTEGER NOT NULL REFERENCES dialogue(id) ON DELETE CASCADE,
    author_id      INTEGER NOT NULL REFERENCES person(id),
    body           BLOB NOT NULL,
    status         TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'discussed')),
    carried_from   INTEGER REFERENCES dialogue(id),
    created_at     TEXT NOT NULL
);
CREATE INDEX agenda_dialogue ON agenda_item(dialogue_id);

CREATE TABLE note (
    id           INTEGER PRIMARY KEY,
    dialogue_id  INTEGER NOT NULL REFERENCES dialogue(id) ON DELETE CASCADE,
    author_id    INTEGER NOT NULL REFERENCES person(id),
    private      INTEGER NOT NULL CHECK (private IN (0, 1)),
    body         BLOB NOT NULL,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
CREATE INDEX note_dialogue ON note(dialogue_id);

CREATE TABLE agreement (
    id               INTEGER PRIMARY KEY,
    dialogue_id      INTEGER NOT NULL REFERENCES dialogue(id) ON DELETE CASCADE,
    owner_person_id  INTEGER REFERENCES person(id),   -- NULL: the group owns it
    body             BLOB NOT NULL,
    if_then          BLOB,
    follow_up_on     TEXT,
    state            TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'done', 'renegotiated', 'dropped')),
    created_by       INTEGER NOT NULL REFERENCES person(id),
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);
CREATE INDEX agreement_dialogue ON agreement(dialogue_id);

CREATE TABLE agreement_update (
    id            INTEGER PRIMARY KEY,
    agreement_id  INTEGER NOT NULL REFERENCES agreement(id) ON DELETE CASCADE,
    by_id         INTEGER NOT NULL REFERENCES person(id),
    from_state    TEXT NOT NULL,
    to_state      TEXT NOT NULL,
    comment       BLOB,
    at            TEXT NOT NULL
);
CREATE INDEX agreement_update_agreement ON agreement_update(agreement_id);

-- A participant's acknowledgement of the summary as it stood: the version
-- number and a copy of what they saw, so later changes can be shown.
CREATE TABLE confirmation (
    id           INTEGER PRIMARY KEY,
    dialogue_id  INTEGER NOT NULL REFERENCES dialogue(id) ON DELETE CASCADE,
    person_id    INTEGER NOT NULL REFERENCES person(id),
    version      INTEGER NOT NULL,
    snapshot     BLOB NOT NULL,
    at           TEXT NOT NULL
);
CREATE INDEX confirmation_dialogue ON confirmation(dialogue_id, person_id, version);

-- Who changed what and when; never any content text.
CREATE TABLE audit (
    id         INTEGER PRIMARY KEY,
    at         TEXT NOT NULL,
    actor_id   INTEGER REFERENCES person(id),
    action     TEXT NOT NULL,
    entity     TEXT NOT NULL,
    entity_id  INTEGER
);
CREATE INDEX audit_entity ON audit(entity, entity_id);
