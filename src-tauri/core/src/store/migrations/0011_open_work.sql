-- A person's home shows what is still open: planned or held dialogues and
-- open agreements. It used to find them by reading every dialogue the
-- person ever took part in, and every agreement of those, then dropping
-- the settled ones; the settled ones are most of a workplace's history,
-- so the home slowed as the years went by rather than with the person's
-- open work. These indexes hold only what is open, so the settled are
-- skipped without being read. Adds no rows and changes none.

-- The participant list by person, with the role the home reads from it:
-- no second look into the participant table per dialogue.
DROP INDEX participant_person;
CREATE INDEX participant_person ON participant(person_id, dialogue_id, role);

-- Open agreements by dialogue: a dialogue with only settled agreements
-- costs one look, and a settled agreement is never read.
CREATE INDEX agreement_open ON agreement(dialogue_id) WHERE state = 'open';

-- Planned and held dialogues with what the home shows of them: a few
-- pages however long the workplace's history grows.
CREATE INDEX dialogue_open
    ON dialogue(id, kind, state, scheduled_at, manager_id, employee_id, team_id, summary_version)
    WHERE state IN ('planned', 'held');

-- Whether a manager ever handed a pair over is asked on every home of
-- theirs: answered from the earlier manager's own entries, not a scan of
-- every handover the workplace has made over the years.
CREATE INDEX handover_old_manager ON handover(old_manager_id, decision);
