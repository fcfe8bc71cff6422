-- 3: the outbox of notices that must reach a citizen or staff member (talons, answers, status
-- changes), sent by the outbox worker with retries; and the update ids already handled (dedupe),
-- so an update Telegram delivers again after a crash has no second effect.
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    dedupe_key TEXT NOT NULL UNIQUE,
    chat_id INTEGER NOT NULL,
    payload TEXT NOT NULL,
    created_at TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    last_error TEXT,
    sent_at TEXT,
    failed_at TEXT
);
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE sent_at IS NULL AND failed_at IS NULL;
CREATE TABLE processed_update (
    update_id INTEGER PRIMARY KEY,
    at TEXT NOT NULL
);
CREATE INDEX processed_update_at ON processed_update (at);

