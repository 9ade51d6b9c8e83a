package retort

import (
	"fmt"
	"slices"
	"strings"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/internal/fault"
	"github.com/retortdb/retort/ops"
	"github.com/retortdb/retort/revision"
)

// CreateObject creates a replaceable object: a view, a stored function
// or a trigger (the cookbook's op.create_view and op.create_sp).
// Declare it in the Migration's Objects too, so that later revisions
// can replace it by reference.
func (o *Op) CreateObject(obj ops.ReplaceableObject) error {
	return o.Run(ops.CreateObject{Object: obj})
}

// DropObject drops a replaceable object.
func (o *Op) DropObject(obj ops.ReplaceableObject) error {
	return o.Run(ops.DropObject{Object: obj})
}

// ReplaceObject drops the version of obj that replaces names ("REV.name":
// the object revision REV declares in its Migration.Objects under name)
// and creates obj (the cookbook's op.replace_view(obj, replaces=...)):
//
//	op.ReplaceObject(customerView, "28af9800143f.customer_view")
//
// Its downgrade is op.Revert of the same operation, which drops obj and
// creates REV's version again, read from REV when it runs.
func (o *Op) ReplaceObject(obj ops.ReplaceableObject, replaces string) error {
	return o.Run(ops.ReplaceObject{Object: obj, Replaces: replaces})
}

// Revert runs the reverse of operations, last first (what Alembic's
// autogenerate writes as the downgrade). Every reverse is worked out
// before anything runs, so an irreversible operation fails the
// revision without half of it done:
//
//	var changes = ops.Sequence{ops.ReplaceObject{...}, myCustomOp{...}}
//	Upgrade:   func(ctx context.Context, op *retort.Op) error { return op.Run(changes) },
//	Downgrade: func(ctx context.Context, op *retort.Op) error { return op.Revert(changes) },
func (o *Op) Revert(operations ...ops.Operation) error {
	rev := make([]ops.Operation, 0, len(operations))
	for i := len(operations) - 1; i >= 0; i-- {
		r, err := operations[i].Reverse()
		if err != nil {
			return fmt.Errorf("revision %s: %w", o.rev, err)
		}
		rev = append(rev, r)
	}
	for _, r := range rev {
		if err := o.Run(r); err != nil {
			return err
		}
	}
	return nil
}

// Object returns the replaceable object that the Go migration rev
// declares in its Objects under name: what a reference "REV.name"
// names. rev is a full revision id.
func (r *Registry) Object(rev, name string) (ops.ReplaceableObject, error) {
	ref := rev + "." + name
	for i := range r.migs {
		m := &r.migs[i].m
		if m.Revision != rev {
			continue
		}
		if obj, ok := m.Objects[name]; ok {
			return obj, nil
		}
		declared := slices.Sorted(func(yield func(string) bool) {
			for k := range m.Objects {
				if !yield(k) {
					return
				}
			}
		})
		msg := fmt.Sprintf("revision %s (%s:%d) declares no object %q in Migration.Objects", rev, r.migs[i].file, r.migs[i].line, name)
		if len(declared) > 0 {
			msg += " (it declares " + strings.Join(declared, ", ") + ")"
		}
		return ops.ReplaceableObject{}, &ObjectError{Ref: ref, Revision: rev, Name: name, Msg: msg}
	}
	return ops.ReplaceableObject{}, &ObjectError{Ref: ref, Revision: rev, Name: name,
		Msg: "no Go migration " + rev + " is registered; a reference names a full revision id whose Migration.Objects declares the object"}
}

// lookup resolves a reference "REV.name".
func (r *Registry) lookup(ref string) (ops.ReplaceableObject, error) {
	rev, name, ok := strings.Cut(ref, ".")
	if !ok || !revision.ValidID(rev) || name == "" {
		return ops.ReplaceableObject{}, &ObjectError{Ref: ref, Msg: `a reference is "REV.name": a revision id, a dot and a key of that revision's Migration.Objects`}
	}
	return r.Object(rev, name)
}

// ObjectError reports a reference to a replaceable object that cannot
// be followed. It matches [ErrBadInput].
type ObjectError struct {
	// Ref is the reference as written, "REV.name".
	Ref string
	// Revision and Name are its parts, when it has them.
	Revision, Name string
	// Msg says what is wrong and what to do.
	Msg string
}

func (e *ObjectError) Error() string { return "object " + e.Ref + ": " + e.Msg }

// Is matches [ErrBadInput].
func (e *ObjectError) Is(target error) bool { return target == ErrBadInput }

// checkObjects reports a Migration.Objects entry that could never be
// created, when the registry is loaded.
func checkObjects(m *Migration, src revision.Source) error {
	for key, obj := range m.Objects {
		msg := ""
		if key == "" {
			msg = "Migration.Objects has an empty key; use the name later revisions refer to"
		} else if obj.Name == "" {
			msg = fmt.Sprintf("Migration.Objects[%q] has no Name", key)
		} else if _, err := obj.Create(); err != nil {
			msg = fmt.Sprintf("Migration.Objects[%q]: %v", key, err)
		}
		if msg != "" {
			return &revision.GraphError{Revision: m.Revision, Source: src, Msg: msg}
		}
	}
	return nil
}

// resolve replaces operations that refer to other revisions' objects
// ([ops.Resolver]) with the built-in ones that carry them out, before
// the dialect renders them, so that they run online and render under
// --sql alike.
func resolve(op ops.Operation, lookup ops.ObjectLookup) (ops.Operation, error) {
	switch o := op.(type) {
	case ops.Sequence:
		out := make(ops.Sequence, len(o))
		for i, x := range o {
			r, err := resolve(x, lookup)
			if err != nil {
				return nil, err
			}
			out[i] = r
		}
		return out, nil
	case ops.Resolver:
		if _, custom := op.(dialect.Renderer); custom {
			return op, nil
		}
		if lookup == nil {
			lookup = noObjects
		}
		r, err := o.Resolve(lookup)
		if err != nil {
			return nil, fault.BadInput(err)
		}
		return resolve(r, lookup)
	}
	return op, nil
}

func noObjects(ref string) (ops.ReplaceableObject, error) {
	return ops.ReplaceableObject{}, &ObjectError{Ref: ref, Msg: "no registry to look it up in; run the migration from a Registry"}
}
