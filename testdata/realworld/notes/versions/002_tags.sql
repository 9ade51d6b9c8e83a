-- tags
--
-- Revision ID: b2000000tags
-- Revises: a1000000note
-- Branch Labels:
-- Depends On:
-- Create Date: 2026-12-01 09:00:00.000000+00:00

-- +retort upgrade
CREATE TABLE tags (
    name TEXT PRIMARY KEY COLLATE NOCASE
);
CREATE TABLE note_tags (
    note_id INTEGER NOT NULL REFERENCES notes (id) ON DELETE CASCADE,
    tag TEXT NOT NULL REFERENCES tags (name),
    PRIMARY KEY (note_id, tag)
);
CREATE UNIQUE INDEX notebooks_title_idx ON notebooks (lower(title));
CREATE TRIGGER notes_touch AFTER UPDATE OF body ON notes BEGIN
    UPDATE notes SET updated_at = CURRENT_TIMESTAMP WHERE id = NEW.id;
END;

-- +retort downgrade
DROP TRIGGER notes_touch;
DROP INDEX notebooks_title_idx;
DROP TABLE note_tags;
DROP TABLE tags;
