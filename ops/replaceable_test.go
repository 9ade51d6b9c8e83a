package ops_test

import (
	"errors"
	"fmt"
	"reflect"
	"testing"

	"github.com/retortdb/retort/ops"
	"github.com/retortdb/retort/schema"
)

func TestReplaceableObjectCreateDrop(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name       string
		obj        ops.ReplaceableObject
		create     ops.Operation
		drop       ops.Operation
		wantErrors bool
	}{
		{
			name:   "view",
			obj:    ops.ReplaceableObject{Kind: ops.ViewObject, Schema: "s", Name: "v", Definition: "SELECT 1"},
			create: ops.CreateView{View: schema.View{Schema: "s", Name: "v", Definition: "SELECT 1"}},
			drop:   ops.DropView{Schema: "s", Name: "v", Existing: &schema.View{Schema: "s", Name: "v", Definition: "SELECT 1"}},
		},
		{
			name:   "function with arguments",
			obj:    ops.ReplaceableObject{Kind: ops.FunctionObject, Name: "add_one (a integer, b text)", Definition: "RETURNS int"},
			create: ops.CreateFunction{Function: schema.Function{Name: "add_one", Args: "a integer, b text", Definition: "RETURNS int"}},
			drop: ops.DropFunction{Name: "add_one", Args: "a integer, b text",
				Existing: &schema.Function{Name: "add_one", Args: "a integer, b text", Definition: "RETURNS int"}},
		},
		{
			name:   "function without parentheses",
			obj:    ops.ReplaceableObject{Kind: ops.FunctionObject, Name: "now_utc", Definition: "RETURNS timestamptz"},
			create: ops.CreateFunction{Function: schema.Function{Name: "now_utc", Definition: "RETURNS timestamptz"}},
			drop: ops.DropFunction{Name: "now_utc",
				Existing: &schema.Function{Name: "now_utc", Definition: "RETURNS timestamptz"}},
		},
		{
			name:   "trigger",
			obj:    ops.ReplaceableObject{Kind: ops.TriggerObject, Name: "t", Table: "customer", Definition: "AFTER INSERT ON customer"},
			create: ops.CreateTrigger{Trigger: schema.Trigger{Name: "t", Table: "customer", Definition: "AFTER INSERT ON customer"}},
			drop: ops.DropTrigger{Name: "t", Table: "customer",
				Existing: &schema.Trigger{Name: "t", Table: "customer", Definition: "AFTER INSERT ON customer"}},
		},
		{name: "trigger without table", obj: ops.ReplaceableObject{Kind: ops.TriggerObject, Name: "t"}, wantErrors: true},
		{name: "function with unclosed arguments", obj: ops.ReplaceableObject{Kind: ops.FunctionObject, Name: "f(int"}, wantErrors: true},
		{name: "no kind", obj: ops.ReplaceableObject{Name: "x"}, wantErrors: true},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			create, err := c.obj.Create()
			if c.wantErrors {
				if err == nil {
					t.Fatalf("Create() = %#v, want an error", create)
				}
				if _, err := c.obj.Drop(); err == nil {
					t.Fatal("Drop() succeeded, want an error")
				}
				return
			}
			if err != nil || !reflect.DeepEqual(create, c.create) {
				t.Errorf("Create() = %#v, %v; want %#v", create, err, c.create)
			}
			drop, err := c.obj.Drop()
			if err != nil || !reflect.DeepEqual(drop, c.drop) {
				t.Errorf("Drop() = %#v, %v; want %#v", drop, err, c.drop)
			}
			if r, _ := (ops.CreateObject{Object: c.obj}).Resolve(nil); !reflect.DeepEqual(r, c.create) {
				t.Errorf("CreateObject resolves to %#v", r)
			}
			if r, _ := (ops.DropObject{Object: c.obj}).Resolve(nil); !reflect.DeepEqual(r, c.drop) {
				t.Errorf("DropObject resolves to %#v", r)
			}
		})
	}
}

func TestReplaceObject(t *testing.T) {
	t.Parallel()
	v1 := ops.ReplaceableObject{Kind: ops.ViewObject, Name: "v", Definition: "SELECT 1"}
	v2 := ops.ReplaceableObject{Kind: ops.ViewObject, Name: "v", Definition: "SELECT 1, 2"}
	fn := ops.ReplaceableObject{Kind: ops.FunctionObject, Name: "f()", Definition: "RETURNS int"}
	lookup := func(ref string) (ops.ReplaceableObject, error) {
		switch ref {
		case "r1.v":
			return v1, nil
		case "r1.f":
			return fn, nil
		}
		return ops.ReplaceableObject{}, fmt.Errorf("no %s", ref)
	}
	up := ops.ReplaceObject{Object: v2, Replaces: "r1.v"}
	if got := up.Describe(); got != "replace view v (replaces r1.v)" {
		t.Errorf("Describe() = %q", got)
	}
	down, err := up.Reverse()
	if err != nil || down != (ops.ReplaceObject{Object: v2, ReplaceWith: "r1.v"}) {
		t.Fatalf("Reverse() = %#v, %v", down, err)
	}
	if got := down.Describe(); got != "replace view v with r1.v" {
		t.Errorf("reverse Describe() = %q", got)
	}
	if back, _ := down.Reverse(); back != up {
		t.Errorf("Reverse of Reverse = %#v", back)
	}
	drop := func(o ops.ReplaceableObject) ops.Operation { d, _ := o.Drop(); return d }
	create := func(o ops.ReplaceableObject) ops.Operation { c, _ := o.Create(); return c }
	for _, c := range []struct {
		op   ops.ReplaceObject
		want ops.Operation
	}{
		{up, ops.Sequence{drop(v1), create(v2)}},
		{down.(ops.ReplaceObject), ops.Sequence{drop(v2), create(v1)}},
	} {
		got, err := c.op.Resolve(lookup)
		if err != nil || !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s resolves to %#v, %v; want %#v", c.op.Describe(), got, err, c.want)
		}
	}

	for _, c := range []struct {
		name string
		op   ops.ReplaceObject
		is   error
	}{
		{"both", ops.ReplaceObject{Object: v2, Replaces: "r1.v", ReplaceWith: "r1.v"}, nil},
		{"neither", ops.ReplaceObject{Object: v2}, nil},
		{"other kind", ops.ReplaceObject{Object: v2, Replaces: "r1.f"}, ops.ErrObjectKind},
		{"missing", ops.ReplaceObject{Object: v2, Replaces: "r9.v"}, nil},
	} {
		if _, err := c.op.Resolve(lookup); err == nil || (c.is != nil && !errors.Is(err, c.is)) {
			t.Errorf("%s: Resolve error = %v, want one matching %v", c.name, err, c.is)
		}
	}
	if _, err := (ops.ReplaceObject{Object: v2}).Reverse(); !errors.Is(err, ops.ErrIrreversible) {
		t.Errorf("Reverse without a reference: %v", err)
	}
}
