-- Templates and preparation. A template's text is the workplace's shared
-- questions, not anyone's personal data, so it is stored in clear; every
-- row is signed by the administrator who saved it, and a row that fails
-- (or whose signer is no administrator of the verified roster) is shown as
-- damaged and the built-in is used instead.

CREATE TABLE template (
    id          INTEGER PRIMARY KEY,
    -- The built-in this row replaces ('mus', 'grus', ...); NULL for the
    -- workplace's own templates.
    builtin     TEXT UNIQUE CHECK (builtin IN ('follow_up', 'mus', 'grus', 'wellbeing', 'ad_hoc')),
    kind        TEXT NOT NULL CHECK (kind IN ('follow_up', 'mus', 'grus', 'wellbeing', 'ad_hoc')),
    body        TEXT NOT NULL,
    edited_by   INTEGER NOT NULL REFERENCES person(id),
    edited_at   TEXT NOT NULL,
    sig         BLOB NOT NULL
);

-- The template a dialogue was planned with, copied then and signed by the
-- planner, so later edits never change a dialogue already planned or held.
CREATE TABLE dialogue_template (
    dialogue_id   INTEGER PRIMARY KEY REFERENCES dialogue(id) ON DELETE CASCADE,
    template_key  TEXT NOT NULL,
    body          TEXT NOT NULL,
    sig           BLOB NOT NULL
);

-- A participant's own answer to a preparation question, sealed in their
-- private space. `agenda_item_id` is the agenda point it was shared as
-- (covered by the signature; no foreign key, since the point may be
-- removed or carried over).
CREATE TABLE prep_answer (
    id              INTEGER PRIMARY KEY,
    dialogue_id     INTEGER NOT NULL REFERENCES dialogue(id) ON DELETE CASCADE,
    author_id       INTEGER NOT NULL REFERENCES person(id),
    section         INTEGER NOT NULL,
    question        INTEGER NOT NULL,
    body            BLOB NOT NULL,
    agenda_item_id  INTEGER,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    sig             BLOB NOT NULL,
    UNIQUE (dialogue_id, author_id, section, question)
);
