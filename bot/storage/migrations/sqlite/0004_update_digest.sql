-- 4: a digest of each handled update's content: a new update that reuses an id (Telegram picks
-- ids at random after a week without updates; the terminal mode starts its fake Telegram afresh)
-- is told apart from the same update delivered again.
ALTER TABLE processed_update ADD COLUMN digest TEXT NOT NULL DEFAULT '';

