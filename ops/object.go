package ops

import "github.com/retortdb/retort/schema"

// CreateSchema creates a schema (PostgreSQL).
type CreateSchema struct {
	Name        string
	IfNotExists bool
}

// Describe returns "create schema NAME".
func (o CreateSchema) Describe() string { return "create schema " + o.Name }

// Reverse drops the schema.
func (o CreateSchema) Reverse() (Operation, error) {
	return DropSchema{Name: o.Name, IfExists: o.IfNotExists}, nil
}

// DropSchema drops a schema (PostgreSQL).
type DropSchema struct {
	Name     string
	IfExists bool
	// Cascade drops everything in it too; such a drop cannot be reversed.
	Cascade bool
}

// Describe returns "drop schema NAME".
func (o DropSchema) Describe() string { return "drop schema " + o.Name }

// Reverse creates the schema again, empty; a cascading drop is
// irreversible.
func (o DropSchema) Reverse() (Operation, error) {
	if o.Cascade {
		return nil, irreversible(o, "CASCADE drops the schema's contents, which the operation does not carry; write the downgrade by hand")
	}
	return CreateSchema{Name: o.Name, IfNotExists: o.IfExists}, nil
}

// CreateSequence creates a sequence (PostgreSQL).
type CreateSequence struct {
	Sequence    schema.Sequence
	IfNotExists bool
}

// Describe returns "create sequence NAME".
func (o CreateSequence) Describe() string {
	return "create sequence " + Qualified(o.Sequence.Schema, o.Sequence.Name)
}

// Reverse drops the sequence, carrying its definition.
func (o CreateSequence) Reverse() (Operation, error) {
	s := o.Sequence
	return DropSequence{Schema: s.Schema, Name: s.Name, IfExists: o.IfNotExists, Existing: &s}, nil
}

// DropSequence drops a sequence (PostgreSQL).
type DropSequence struct {
	Schema   string
	Name     string
	IfExists bool
	// Existing is the sequence's definition, needed only by Reverse.
	Existing *schema.Sequence
}

// Describe returns "drop sequence NAME".
func (o DropSequence) Describe() string { return "drop sequence " + Qualified(o.Schema, o.Name) }

// Reverse creates the sequence from Existing (its current value is not
// restored).
func (o DropSequence) Reverse() (Operation, error) {
	if o.Existing == nil {
		return nil, irreversible(o, "set DropSequence.Existing to the sequence's definition")
	}
	return CreateSequence{Sequence: *o.Existing, IfNotExists: o.IfExists}, nil
}

// CreateEnum creates an enum type (PostgreSQL CREATE TYPE ... AS ENUM).
type CreateEnum struct {
	Enum schema.Enum
}

// Describe returns "create enum NAME".
func (o CreateEnum) Describe() string {
	return "create enum " + Qualified(o.Enum.Schema, o.Enum.Name)
}

// Reverse drops the type, carrying its definition.
func (o CreateEnum) Reverse() (Operation, error) {
	e := o.Enum
	return DropEnum{Schema: e.Schema, Name: e.Name, Existing: &e}, nil
}

// DropEnum drops an enum type.
type DropEnum struct {
	Schema   string
	Name     string
	IfExists bool
	// Existing is the type's definition, needed only by Reverse.
	Existing *schema.Enum
}

// Describe returns "drop enum NAME".
func (o DropEnum) Describe() string { return "drop enum " + Qualified(o.Schema, o.Name) }

// Reverse creates the type from Existing.
func (o DropEnum) Reverse() (Operation, error) {
	if o.Existing == nil {
		return nil, irreversible(o, "set DropEnum.Existing to the type's definition (its values)")
	}
	return CreateEnum{Enum: *o.Existing}, nil
}

// AddEnumValue adds a value to an enum type (PostgreSQL ALTER TYPE ...
// ADD VALUE). It is irreversible: PostgreSQL cannot remove an enum value.
type AddEnumValue struct {
	Schema string
	Enum   string
	Value  string
	// Before or After place the value next to an existing one; both
	// empty puts it last.
	Before, After string
	IfNotExists   bool
}

// Describe returns "add value V to enum NAME".
func (o AddEnumValue) Describe() string {
	return "add value " + o.Value + " to enum " + Qualified(o.Schema, o.Enum)
}

// Reverse fails: enum values cannot be dropped.
func (o AddEnumValue) Reverse() (Operation, error) {
	return nil, irreversible(o, "PostgreSQL cannot drop an enum value; recreate the type in the downgrade by hand")
}

// RenameEnumValue renames a value of an enum type (PostgreSQL 10 and
// later: ALTER TYPE ... RENAME VALUE). Rows holding the value hold the
// new name after it.
type RenameEnumValue struct {
	Schema string
	Enum   string
	// Value is the current name; NewValue the name it gets.
	Value, NewValue string
}

// Describe returns "rename value V of enum NAME to W".
func (o RenameEnumValue) Describe() string {
	return "rename value " + o.Value + " of enum " + Qualified(o.Schema, o.Enum) + " to " + o.NewValue
}

// Reverse renames the value back.
func (o RenameEnumValue) Reverse() (Operation, error) {
	return RenameEnumValue{Schema: o.Schema, Enum: o.Enum, Value: o.NewValue, NewValue: o.Value}, nil
}

// CreateView creates a view.
type CreateView struct {
	View schema.View
}

// Describe returns "create view NAME".
func (o CreateView) Describe() string { return "create view " + Qualified(o.View.Schema, o.View.Name) }

// Reverse drops the view, carrying its definition.
func (o CreateView) Reverse() (Operation, error) {
	v := o.View
	return DropView{Schema: v.Schema, Name: v.Name, Existing: &v}, nil
}

// DropView drops a view.
type DropView struct {
	Schema   string
	Name     string
	IfExists bool
	// Existing is the view's definition, needed only by Reverse.
	Existing *schema.View
}

// Describe returns "drop view NAME".
func (o DropView) Describe() string { return "drop view " + Qualified(o.Schema, o.Name) }

// Reverse creates the view from Existing.
func (o DropView) Reverse() (Operation, error) {
	if o.Existing == nil {
		return nil, irreversible(o, "set DropView.Existing to the view's definition")
	}
	return CreateView{View: *o.Existing}, nil
}

// ReplaceView replaces a view's definition (CREATE OR REPLACE VIEW; on
// SQLite, drop and create).
type ReplaceView struct {
	View schema.View
	// Existing is the definition being replaced, needed only by Reverse.
	Existing *schema.View
}

// Describe returns "replace view NAME".
func (o ReplaceView) Describe() string {
	return "replace view " + Qualified(o.View.Schema, o.View.Name)
}

// Reverse puts the previous definition back.
func (o ReplaceView) Reverse() (Operation, error) {
	if o.Existing == nil {
		return nil, irreversible(o, "set ReplaceView.Existing to the definition it replaces")
	}
	v := o.View
	return ReplaceView{View: *o.Existing, Existing: &v}, nil
}

// CreateFunction creates a stored function (PostgreSQL).
type CreateFunction struct {
	Function schema.Function
}

// Describe returns "create function NAME(ARGS)".
func (o CreateFunction) Describe() string { return "create function " + funcName(o.Function) }

// Reverse drops the function, carrying its definition.
func (o CreateFunction) Reverse() (Operation, error) {
	f := o.Function
	return DropFunction{Schema: f.Schema, Name: f.Name, Args: f.Args, Existing: &f}, nil
}

// DropFunction drops a stored function; Args identify the overload.
type DropFunction struct {
	Schema   string
	Name     string
	Args     string
	IfExists bool
	// Existing is the function's definition, needed only by Reverse.
	Existing *schema.Function
}

// Describe returns "drop function NAME(ARGS)".
func (o DropFunction) Describe() string {
	return "drop function " + funcName(schema.Function{Schema: o.Schema, Name: o.Name, Args: o.Args})
}

// Reverse creates the function from Existing.
func (o DropFunction) Reverse() (Operation, error) {
	if o.Existing == nil {
		return nil, irreversible(o, "set DropFunction.Existing to the function's definition")
	}
	return CreateFunction{Function: *o.Existing}, nil
}

// ReplaceFunction replaces a function's definition (CREATE OR REPLACE
// FUNCTION).
type ReplaceFunction struct {
	Function schema.Function
	// Existing is the definition being replaced, needed only by Reverse.
	Existing *schema.Function
}

// Describe returns "replace function NAME(ARGS)".
func (o ReplaceFunction) Describe() string { return "replace function " + funcName(o.Function) }

// Reverse puts the previous definition back.
func (o ReplaceFunction) Reverse() (Operation, error) {
	if o.Existing == nil {
		return nil, irreversible(o, "set ReplaceFunction.Existing to the definition it replaces")
	}
	f := o.Function
	return ReplaceFunction{Function: *o.Existing, Existing: &f}, nil
}

func funcName(f schema.Function) string { return Qualified(f.Schema, f.Name) + "(" + f.Args + ")" }

// CreateTrigger creates a trigger.
type CreateTrigger struct {
	Trigger schema.Trigger
}

// Describe returns "create trigger NAME on TABLE".
func (o CreateTrigger) Describe() string {
	return "create trigger " + o.Trigger.Name + " on " + Qualified(o.Trigger.Schema, o.Trigger.Table)
}

// Reverse drops the trigger, carrying its definition.
func (o CreateTrigger) Reverse() (Operation, error) {
	tr := o.Trigger
	return DropTrigger{Schema: tr.Schema, Name: tr.Name, Table: tr.Table, Existing: &tr}, nil
}

// DropTrigger drops a trigger; PostgreSQL needs its Table.
type DropTrigger struct {
	Schema   string
	Name     string
	Table    string
	IfExists bool
	// Existing is the trigger's definition, needed only by Reverse.
	Existing *schema.Trigger
}

// Describe returns "drop trigger NAME on TABLE".
func (o DropTrigger) Describe() string {
	return "drop trigger " + o.Name + " on " + Qualified(o.Schema, o.Table)
}

// Reverse creates the trigger from Existing.
func (o DropTrigger) Reverse() (Operation, error) {
	if o.Existing == nil {
		return nil, irreversible(o, "set DropTrigger.Existing to the trigger's definition")
	}
	return CreateTrigger{Trigger: *o.Existing}, nil
}
