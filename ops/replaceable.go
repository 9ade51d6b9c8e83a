package ops

import (
	"errors"
	"fmt"
	"strings"

	"github.com/retortdb/retort/schema"
)

// ObjectKind says what a [ReplaceableObject] is: a view, a stored
// function or a trigger.
type ObjectKind int

// The kinds of replaceable object.
const (
	ViewObject ObjectKind = iota + 1
	FunctionObject
	TriggerObject
)

// String returns "view", "function" or "trigger".
func (k ObjectKind) String() string {
	switch k {
	case ViewObject:
		return "view"
	case FunctionObject:
		return "function"
	case TriggerObject:
		return "trigger"
	}
	return fmt.Sprintf("ObjectKind(%d)", int(k))
}

// ReplaceableObject is a schema object that is created and dropped
// whole from its SQL text: a view, a stored function or a trigger (the
// Alembic cookbook's ReplaceableObject). A Go migration declares the
// objects it creates in its Migration.Objects, so that a later revision
// can replace one by reference ([ReplaceObject]) and its downgrade can
// put the exact earlier definition back without a copy of it.
type ReplaceableObject struct {
	Kind ObjectKind
	// Schema qualifies the name ("" = the search path).
	Schema string
	// Name is the object's name. A function's name carries its
	// argument list, which identifies it when it is dropped:
	// "add_one(integer)", "add_customer(name varchar, n integer)".
	Name string
	// Definition is the SQL after the name: a view's query ("SELECT
	// ..."), a function's "RETURNS ... AS $$ ... $$ LANGUAGE plpgsql", a
	// trigger's "AFTER INSERT ON customer FOR EACH ROW ...".
	Definition string
	// Table is the table a trigger is on, which PostgreSQL needs to drop
	// it; unused for views and functions.
	Table string
}

// String returns "view NAME", "function NAME(ARGS)" or "trigger NAME".
func (r ReplaceableObject) String() string {
	return r.Kind.String() + " " + Qualified(r.Schema, r.Name)
}

// Create returns the built-in operation that creates r:
// [CreateView], [CreateFunction] or [CreateTrigger].
func (r ReplaceableObject) Create() (Operation, error) {
	switch r.Kind {
	case ViewObject:
		return CreateView{View: schema.View{Schema: r.Schema, Name: r.Name, Definition: r.Definition}}, nil
	case FunctionObject:
		f, err := r.function()
		return CreateFunction{Function: f}, err
	case TriggerObject:
		if r.Table == "" {
			return nil, fmt.Errorf("%s: set ReplaceableObject.Table to the table the trigger is on", r)
		}
		return CreateTrigger{Trigger: schema.Trigger{Schema: r.Schema, Name: r.Name, Table: r.Table, Definition: r.Definition}}, nil
	}
	return nil, fmt.Errorf("replaceable object %q: set Kind to ops.ViewObject, ops.FunctionObject or ops.TriggerObject", r.Name)
}

// Drop returns the built-in operation that drops r, carrying its
// definition: [DropView], [DropFunction] or [DropTrigger].
func (r ReplaceableObject) Drop() (Operation, error) {
	c, err := r.Create()
	if err != nil {
		return nil, err
	}
	return c.Reverse()
}

// function splits "name(args)" into a schema.Function.
func (r ReplaceableObject) function() (schema.Function, error) {
	name, args := r.Name, ""
	if i := strings.IndexByte(r.Name, '('); i >= 0 {
		if !strings.HasSuffix(r.Name, ")") {
			return schema.Function{}, fmt.Errorf("%s: a function's name ends with its argument list, as in \"add_one(integer)\"", r)
		}
		name, args = strings.TrimSpace(r.Name[:i]), r.Name[i+1:len(r.Name)-1]
	}
	return schema.Function{Schema: r.Schema, Name: name, Args: args, Definition: r.Definition}, nil
}

// ObjectLookup returns the replaceable object that a reference
// "REV.name" names: the object revision REV declares under name.
type ObjectLookup func(ref string) (ReplaceableObject, error)

// Resolver is implemented by operations that are carried out by
// built-in ones once their references to other revisions' objects are
// looked up. retort's Op resolves them before rendering; a dialect's
// Render alone does not know them.
type Resolver interface {
	Operation
	// Resolve returns the operation to render, looking references up
	// with lookup.
	Resolve(lookup ObjectLookup) (Operation, error)
}

// CreateObject creates a replaceable object (the cookbook's create_view
// and create_sp).
type CreateObject struct {
	Object ReplaceableObject
}

// Describe returns "create KIND NAME".
func (o CreateObject) Describe() string { return "create " + o.Object.String() }

// Reverse drops the object.
func (o CreateObject) Reverse() (Operation, error) { return DropObject(o), nil }

// Resolve returns the built-in create operation.
func (o CreateObject) Resolve(ObjectLookup) (Operation, error) { return o.Object.Create() }

// DropObject drops a replaceable object (the cookbook's drop_view and
// drop_sp); as it carries the definition, it is reversible.
type DropObject struct {
	Object ReplaceableObject
}

// Describe returns "drop KIND NAME".
func (o DropObject) Describe() string { return "drop " + o.Object.String() }

// Reverse creates the object again.
func (o DropObject) Reverse() (Operation, error) { return CreateObject(o), nil }

// Resolve returns the built-in drop operation.
func (o DropObject) Resolve(ObjectLookup) (Operation, error) { return o.Object.Drop() }

// ReplaceObject replaces a replaceable object by dropping one version
// and creating another, the other version named by reference to the
// revision that declares it (the cookbook's replace_view and
// replace_sp). Exactly one of Replaces and ReplaceWith is set:
//
//   - Replaces "REV.name": drop that earlier version, create Object (an
//     upgrade);
//   - ReplaceWith "REV.name": drop Object, create that earlier version
//     (its downgrade).
//
// Reverse swaps the two, so a downgrade that reverts the upgrade's
// operations restores the earlier definition exactly, read from the
// revision that declared it when the operation runs. Dropping and
// creating, rather than CREATE OR REPLACE, lets a view lose columns and
// a function change its arguments or return type.
type ReplaceObject struct {
	// Object is the version this revision declares.
	Object ReplaceableObject
	// Replaces and ReplaceWith are references "REV.name" to the
	// object revision REV declares in its Migration.Objects under name.
	Replaces    string
	ReplaceWith string
}

// Describe returns "replace KIND NAME (replaces REF)" or "replace KIND
// NAME with REF".
func (o ReplaceObject) Describe() string {
	if o.ReplaceWith != "" {
		return "replace " + o.Object.String() + " with " + o.ReplaceWith
	}
	return "replace " + o.Object.String() + " (replaces " + o.Replaces + ")"
}

// Reverse swaps Replaces and ReplaceWith.
func (o ReplaceObject) Reverse() (Operation, error) {
	if o.Replaces == "" && o.ReplaceWith == "" {
		return nil, irreversible(o, `set ReplaceObject.Replaces to "REV.name", the version it replaces`)
	}
	return ReplaceObject{Object: o.Object, Replaces: o.ReplaceWith, ReplaceWith: o.Replaces}, nil
}

// ErrObjectKind is matched (errors.Is) when a reference names an
// object of another kind than the one it replaces.
var ErrObjectKind = errors.New("replaceable object of another kind")

// Resolve looks the referenced version up and returns the drop of one
// version followed by the create of the other.
func (o ReplaceObject) Resolve(lookup ObjectLookup) (Operation, error) {
	ref, restore := o.Replaces, false
	switch {
	case o.Replaces != "" && o.ReplaceWith != "":
		return nil, fmt.Errorf("%s: set only one of Replaces and ReplaceWith", o.Describe())
	case o.Replaces == "" && o.ReplaceWith == "":
		return nil, fmt.Errorf("%s: set Replaces (or ReplaceWith) to \"REV.name\"", o.Describe())
	case o.ReplaceWith != "":
		ref, restore = o.ReplaceWith, true
	}
	other, err := lookup(ref)
	if err != nil {
		return nil, err
	}
	if other.Kind != o.Object.Kind {
		return nil, fmt.Errorf("%s: %s is a %s: %w", o.Describe(), ref, other.Kind, ErrObjectKind)
	}
	old, cur := other, o.Object
	if restore {
		old, cur = o.Object, other
	}
	drop, err := old.Drop()
	if err != nil {
		return nil, err
	}
	create, err := cur.Create()
	if err != nil {
		return nil, err
	}
	return Sequence{drop, create}, nil
}
