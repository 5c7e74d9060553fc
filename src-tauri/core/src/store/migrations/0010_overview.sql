-- The manager's overview reads every dialogue a manager holds, oldest
-- first. Through `dialogue_pair` that is one lookup into the dialogue table
-- per dialogue and a sort: both grow with the whole workplace's dialogues,
-- not the manager's. This index holds what the overview reads, in the
-- order it reads it. Adds no rows and changes none.
CREATE INDEX dialogue_manager
    ON dialogue(manager_id, scheduled_at, id, kind, state, employee_id, team_id);
