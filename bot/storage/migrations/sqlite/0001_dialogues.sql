-- 1: dialogue state (aiogram FSM, JSON) and the user's chosen language.
CREATE TABLE fsm_state (
    key TEXT PRIMARY KEY,
    state TEXT,
    data TEXT NOT NULL DEFAULT '{}',
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE TABLE user_pref (
    user_id INTEGER PRIMARY KEY,
    locale TEXT NOT NULL CHECK (locale IN ('kk', 'ru'))
);

