// Package importer owns the on-ramp from other migration tools: it
// converts a goose, golang-migrate, dbmate, sql-migrate, Flyway, Atlas
// or tern folder into retort revision files ([Convert]), and reads those
// tools' version tables so that a database they manage can be stamped at
// the matching imported revision ([ReadApplied], [Match]). It does not
// write files or change a database: the retort package's Env.Adopt and
// the CLI's 'retort import' and 'retort adopt' do that.
//
// # Converting a folder
//
// [Convert] reads the folder in the tool's own version order and returns
// one [Revision] per version, a linear chain: the first revises nothing
// (or Options.Revises), each next one the one before. The revision id is
// the tool's version where that is a valid id of at least 4 characters
// (goose's 00001, a timestamp); shorter numeric versions get a "v" and
// zero padding (1 -> v0001) and Flyway's dotted versions "_" for "."
// (1.2.3 -> v1_2_3); see [ID]. The message comes from the file name, the
// tool's no-transaction marker becomes "-- +retort no-transaction", and
// the header line "-- Imported From: <format> <original file>" records
// the origin, which adopting matches on.
//
// What each tool's files map to:
//
//	goose          -- +goose Up / Down           upgrade / downgrade
//	               -- +goose StatementBegin/End  dropped: retort's splitter reads bodies
//	               -- +goose NO TRANSACTION      -- +retort no-transaction
//	               NNN_name.go                   a Go revision scaffold to port by hand
//	golang-migrate N_t.up.sql / N_t.down.sql     upgrade / downgrade (up-only folders too)
//	dbmate         -- migrate:up / down          upgrade / downgrade; transaction:false
//	sql-migrate    -- +migrate Up / Down         upgrade / downgrade; Up notransaction
//	flyway         V<v>__d.sql / U<v>__d.sql     upgrade / downgrade; .sql.conf
//	               executeInTransaction=false; R__ files are reported, not imported
//	atlas          N_name.sql + atlas.sum        upgrade; atlas.sum checked first;
//	               -- atlas:txmode none
//	tern           ---- create above / drop below ----   upgrade / downgrade;
//	               ---- tern: disable-tx ----
//
// Convert reports, by file and line and all at once in an [*Error]
// (which matches retort.ErrBadInput), what cannot be converted safely: a
// version present twice, a gap tern would refuse, a template placeholder
// ({{ … }}, Flyway's ${…}), a goose ENVSUB region (retort substitutes no
// environment variables in SQL), SQL that does not split cleanly with
// the engine's splitter, an atlas.sum that does not match the files.
// What converts but deserves a look comes back as Result.Warnings.
//
// # Adopting a database
//
// [ReadApplied] reads the versions a tool recorded as applied in its
// version table (goose_db_version, schema_migrations of golang-migrate
// and dbmate, gorp_migrations, flyway_schema_history,
// atlas_schema_revisions, tern's schema_version), refusing a dirty
// golang-migrate database, a failed Flyway row or a partly applied Atlas
// revision with what to fix first. [Match] finds, among the imported
// revisions, the one the database is at, refusing an applied version the
// imported files do not have and a hole (a later version applied, an
// earlier one not).
package importer
