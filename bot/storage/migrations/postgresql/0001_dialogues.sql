-- 1: dialogue state (aiogram FSM, JSON) and the user's chosen language.
CREATE TABLE fsm_state (
    key TEXT PRIMARY KEY,
    state TEXT,
    data TEXT NOT NULL DEFAULT '{}',
    updated_at TEXT NOT NULL DEFAULT (to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
);
CREATE TABLE user_pref (
    user_id BIGINT PRIMARY KEY,
    locale TEXT NOT NULL CHECK (locale IN ('kk', 'ru'))
);
