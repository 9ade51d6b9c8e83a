package render

import (
	"fmt"
	"go/format"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/retortdb/retort/batch"
	"github.com/retortdb/retort/ops"
	"github.com/retortdb/retort/schema"
)

// GoCode is Go source for the body of a migration function (Upgrade or
// Downgrade, whose parameter is op *retort.Op), and the packages it
// uses.
type GoCode struct {
	// Body is the function's statements, ending in "return nil".
	Body string
	// Imports are the import paths Body needs, sorted.
	Imports []string
}

// Go renders list as Go statements calling op.Run with each operation
// as a composite literal (op.RunBatch for a batch.Alter), returning the
// first error. An operation that renders no SQL but only says
// something (a note) becomes a comment. Values whose package is not
// schema, ops or batch are rendered by their type's name, which the
// file must import itself.
func Go(list []ops.Operation) (*GoCode, error) {
	g := &goWriter{imports: map[string]bool{}}
	var b strings.Builder
	for _, o := range list {
		if o == nil {
			continue
		}
		if isNote(o) {
			for line := range strings.SplitSeq(o.Describe(), "\n") {
				b.WriteString("// " + line + "\n")
			}
			continue
		}
		call := "op.Run"
		if _, ok := o.(batch.Alter); ok {
			call = "op.RunBatch"
		}
		lit, err := g.value(reflect.ValueOf(o))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", o.Describe(), err)
		}
		fmt.Fprintf(&b, "if err := %s(%s); err != nil {\nreturn err\n}\n", call, lit)
	}
	b.WriteString("return nil\n")
	code := &GoCode{Body: b.String()}
	for p := range g.imports {
		code.Imports = append(code.Imports, p)
	}
	slices.Sort(code.Imports)
	return code, nil
}

// isNote reports a note: an operation whose type is named Note and that
// carries only text (compare.Note, which render does not import).
func isNote(o ops.Operation) bool {
	t := reflect.TypeOf(o)
	return t.Kind() == reflect.Struct && t.Name() == "Note" && t.NumField() == 1 && t.Field(0).Type.Kind() == reflect.String
}

// Format gofmts a function body as it would be indented inside a
// function, for printing on its own.
func Format(body string) (string, error) {
	src, err := format.Source([]byte("package p\n\nfunc _() {\n" + body + "}\n"))
	if err != nil {
		return "", err
	}
	s := string(src)
	s = s[strings.Index(s, "{\n")+2 : strings.LastIndex(s, "}")]
	var out strings.Builder
	for line := range strings.SplitSeq(strings.TrimRight(s, "\n"), "\n") {
		out.WriteString(strings.TrimPrefix(line, "\t") + "\n")
	}
	return out.String(), nil
}

type goWriter struct{ imports map[string]bool }

// qualified returns pkg.Name for a named type, noting its import.
func (g *goWriter) qualified(t reflect.Type) string {
	if t.PkgPath() == "" {
		return t.String()
	}
	g.imports[t.PkgPath()] = true
	return t.String()
}

var (
	typeType    = reflect.TypeFor[schema.Type]()
	defaultType = reflect.TypeFor[schema.DefaultValue]()
)

// enumNames names the constants of the enum types operations carry.
var enumNames = map[reflect.Type][]string{
	reflect.TypeFor[schema.Kind](): {"KindInvalid", "KindSmallInt", "KindInteger", "KindBigInt", "KindBoolean", "KindText",
		"KindVarchar", "KindChar", "KindNumeric", "KindReal", "KindDouble", "KindDate", "KindTime", "KindTimestamp",
		"KindTimestampTZ", "KindInterval", "KindUUID", "KindJSON", "KindJSONB", "KindBytes", "KindEnum", "KindRaw"},
	reflect.TypeFor[schema.Action]():         {"NoAction", "Restrict", "Cascade", "SetNull", "SetDefault"},
	reflect.TypeFor[schema.ConstraintKind](): {"ConstraintUnknown", "ConstraintPrimaryKey", "ConstraintForeignKey", "ConstraintUnique", "ConstraintCheck"},
	reflect.TypeFor[schema.DefaultKind]():    {"DefaultNone", "DefaultLiteral", "DefaultExpression"},
	reflect.TypeFor[schema.IdentityKind]():   {"IdentityNone", "IdentityByDefault", "IdentityAlways"},
	reflect.TypeFor[batch.Recreate]():        {"Auto", "Always", "Never"},
	reflect.TypeFor[ops.ObjectKind]():        {"", "ViewObject", "FunctionObject", "TriggerObject"},
}

// value renders v as a Go expression.
func (g *goWriter) value(v reflect.Value) (string, error) {
	t := v.Type()
	switch {
	case t == typeType:
		return g.typeExpr(v.Interface().(schema.Type)), nil
	case t == defaultType:
		return g.defaultExpr(v.Interface().(schema.DefaultValue)), nil
	}
	if names, ok := enumNames[t]; ok {
		var n int
		if v.CanInt() {
			n = int(v.Int())
		} else {
			n = int(v.Uint())
		}
		if n >= 0 && n < len(names) && names[n] != "" {
			g.qualified(t)
			return t.PkgPath()[strings.LastIndex(t.PkgPath(), "/")+1:] + "." + names[n], nil
		}
	}
	switch t.Kind() {
	case reflect.String:
		return goString(v.String()), nil
	case reflect.Bool:
		return strconv.FormatBool(v.Bool()), nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return g.convert(t, strconv.FormatInt(v.Int(), 10)), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return g.convert(t, strconv.FormatUint(v.Uint(), 10)), nil
	case reflect.Float32, reflect.Float64:
		return g.convert(t, strconv.FormatFloat(v.Float(), 'g', -1, 64)), nil
	case reflect.Pointer:
		if v.IsNil() {
			return "nil", nil
		}
		if t.Elem().Kind() == reflect.Struct && t.Elem() != typeType && t.Elem() != defaultType {
			s, err := g.value(v.Elem())
			return "&" + s, err
		}
		s, err := g.value(v.Elem())
		return "new(" + s + ")", err
	case reflect.Interface:
		if v.IsNil() {
			return "nil", nil
		}
		return g.value(v.Elem())
	case reflect.Slice:
		if v.IsNil() {
			return "nil", nil
		}
		return g.slice(v)
	case reflect.Struct:
		return g.structLit(v)
	}
	return "", fmt.Errorf("cannot write a %s as Go", t)
}

// convert writes a number of a named type as T(n).
func (g *goWriter) convert(t reflect.Type, n string) string {
	if t.PkgPath() == "" {
		return n
	}
	return g.qualified(t) + "(" + n + ")"
}

func (g *goWriter) slice(v reflect.Value) (string, error) {
	t := v.Type()
	elem := t.Elem()
	parts := make([]string, v.Len())
	for i := range v.Len() {
		s, err := g.value(v.Index(i))
		if err != nil {
			return "", err
		}
		// Elements of a struct type may leave the type out.
		if elem.Kind() == reflect.Struct && elem != typeType && elem != defaultType {
			s = s[strings.Index(s, "{"):]
		}
		parts[i] = s
	}
	typ := "[]" + g.typeName(elem)
	return layout(typ, parts), nil
}

func (g *goWriter) typeName(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Pointer:
		return "*" + g.typeName(t.Elem())
	case reflect.Slice:
		return "[]" + g.typeName(t.Elem())
	}
	return g.qualified(t)
}

func (g *goWriter) structLit(v reflect.Value) (string, error) {
	t := v.Type()
	var parts []string
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() || v.Field(i).IsZero() {
			continue
		}
		s, err := g.value(v.Field(i))
		if err != nil {
			return "", fmt.Errorf("%s.%s: %w", t.Name(), f.Name, err)
		}
		parts = append(parts, f.Name+": "+s)
	}
	return layout(g.qualified(t), parts), nil
}

// layout writes T{a, b} on one line when short, else one element a
// line.
func layout(typ string, parts []string) string {
	one := typ + "{" + strings.Join(parts, ", ") + "}"
	if len(one) <= 80 && !strings.Contains(one, "\n") {
		return one
	}
	return typ + "{\n" + strings.Join(parts, ",\n") + ",\n}"
}

func (g *goWriter) typeExpr(t schema.Type) string {
	g.imports["github.com/retortdb/retort/schema"] = true
	plain := map[schema.Kind]string{
		schema.KindSmallInt: "SmallInt", schema.KindInteger: "Integer", schema.KindBigInt: "BigInt",
		schema.KindBoolean: "Boolean", schema.KindText: "Text", schema.KindReal: "Real", schema.KindDouble: "Double",
		schema.KindDate: "Date", schema.KindTime: "Time", schema.KindTimestamp: "Timestamp",
		schema.KindTimestampTZ: "TimestampTZ", schema.KindInterval: "Interval", schema.KindUUID: "UUID",
		schema.KindJSON: "JSON", schema.KindJSONB: "JSONB", schema.KindBytes: "Bytes",
	}
	if n, ok := plain[t.Kind]; ok {
		return "schema." + n
	}
	switch t.Kind {
	case schema.KindVarchar:
		return fmt.Sprintf("schema.Varchar(%d)", t.Length)
	case schema.KindChar:
		return fmt.Sprintf("schema.Char(%d)", t.Length)
	case schema.KindNumeric:
		return fmt.Sprintf("schema.Numeric(%d, %d)", t.Precision, t.Scale)
	case schema.KindEnum:
		if t.Name == "" {
			vals := t.EnumValues()
			q := make([]string, len(vals))
			for i, v := range vals {
				q[i] = goString(v)
			}
			return "schema.EnumOf(" + strings.Join(q, ", ") + ")"
		}
		if t.Schema != "" {
			return fmt.Sprintf("schema.EnumTypeIn(%s, %s)", goString(t.Schema), goString(t.Name))
		}
		return "schema.EnumType(" + goString(t.Name) + ")"
	case schema.KindRaw:
		return "schema.RawType(" + goString(t.Name) + ")"
	}
	return "schema.Type{}"
}

func (g *goWriter) defaultExpr(d schema.DefaultValue) string {
	g.imports["github.com/retortdb/retort/schema"] = true
	switch d.Kind {
	case schema.DefaultLiteral:
		return "schema.Literal(" + goString(d.Value) + ")"
	case schema.DefaultExpression:
		return "schema.Expr(" + goString(d.Value) + ")"
	}
	return "schema.DefaultValue{}"
}

// goString quotes s, as a raw string when it spans lines.
func goString(s string) string {
	if strings.Contains(s, "\n") && !strings.Contains(s, "`") && !strings.Contains(s, "\r") {
		return "`" + s + "`"
	}
	return strconv.Quote(s)
}
