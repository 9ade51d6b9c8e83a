-- notes app
--
-- Revision ID: a1000000note
-- Revises: 
-- Branch Labels:
-- Depends On:
-- Create Date: 2026-12-01 09:00:00.000000+00:00

-- +retort upgrade
CREATE TABLE notebooks (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    title TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE TABLE notes (
    id INTEGER PRIMARY KEY,
    notebook_id INTEGER NOT NULL REFERENCES notebooks (id) ON DELETE CASCADE,
    body TEXT NOT NULL,
    pinned BOOLEAN NOT NULL DEFAULT 0,
    words INTEGER GENERATED ALWAYS AS (length(body) - length(replace(body, ' ', '')) + 1) VIRTUAL,
    updated_at TEXT
);
CREATE INDEX notes_notebook_idx ON notes (notebook_id);
CREATE INDEX notes_pinned_idx ON notes (notebook_id) WHERE pinned;

-- +retort downgrade
DROP TABLE notes;
DROP TABLE notebooks;
