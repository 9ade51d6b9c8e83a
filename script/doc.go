// Package script owns revision files: finding them in an fs.FS, parsing
// their headers and sections, and writing new ones from templates; it
// does not build the graph or run SQL.
//
// A SQL revision file starts with a comment header, which is the truth
// about the revision (the file name is only for people), followed by its
// sections:
//
//	-- create customer table
//	--
//	-- Revision ID: 1a2b3c4d5e6f
//	-- Revises: 0f9e8d7c6b5a
//	-- Branch Labels:
//	-- Depends On:
//	-- Create Date: 2026-11-21 10:00:00.000000+00:00
//
//	-- +retort upgrade
//	CREATE TABLE customer (id BIGSERIAL PRIMARY KEY, name TEXT NOT NULL);
//
//	-- +retort downgrade
//	DROP TABLE customer;
//
// The comment lines before "Revision ID:" describe the revision: the first
// paragraph is its message. The header runs from "Revision ID:" to the
// first blank line; in it, "Revises:", "Branch Labels:" and "Depends On:"
// take comma-separated lists (empty for none) and "Create Date:" a time.
// "-- +retort no-transaction" before the sections runs the revision
// outside a transaction; "-- +retort commit-before" ends the run's
// transaction before the revision, which starts a new one. The upgrade section is required; a revision with
// no downgrade section cannot be downgraded.
//
// [Parse] reads one file, [Load] every file of the version directories,
// and [RenderSQL], [FileName], [Slug] and [NewID] write new ones.
package script
