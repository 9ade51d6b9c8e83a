package schema

import (
	"strconv"
	"strings"
)

// Kind is the family of a column [Type].
type Kind uint8

// Kinds. KindInvalid is the zero value: no type.
const (
	KindInvalid     Kind = iota
	KindSmallInt         // 16-bit integer
	KindInteger          // 32-bit integer
	KindBigInt           // 64-bit integer
	KindBoolean          // true/false
	KindText             // unbounded string
	KindVarchar          // string of at most Type.Length characters (0: no limit)
	KindChar             // fixed-length string of Type.Length characters
	KindNumeric          // exact decimal, Type.Precision and Type.Scale (0: unconstrained)
	KindReal             // 32-bit float
	KindDouble           // 64-bit float
	KindDate             // calendar date
	KindTime             // time of day without time zone
	KindTimestamp        // timestamp without time zone
	KindTimestampTZ      // timestamp with time zone
	KindInterval         // time span
	KindUUID             // UUID
	KindJSON             // JSON text
	KindJSONB            // PostgreSQL's binary JSON
	KindBytes            // binary string
	KindEnum             // a named enum type, Type.Name (and Type.Schema), or an inline one, Type.Values
	KindRaw              // anything else, as SQL text in Type.Name
)

var kindNames = [...]string{
	KindInvalid:     "invalid",
	KindSmallInt:    "smallint",
	KindInteger:     "integer",
	KindBigInt:      "bigint",
	KindBoolean:     "boolean",
	KindText:        "text",
	KindVarchar:     "varchar",
	KindChar:        "char",
	KindNumeric:     "numeric",
	KindReal:        "real",
	KindDouble:      "double",
	KindDate:        "date",
	KindTime:        "time",
	KindTimestamp:   "timestamp",
	KindTimestampTZ: "timestamptz",
	KindInterval:    "interval",
	KindUUID:        "uuid",
	KindJSON:        "json",
	KindJSONB:       "jsonb",
	KindBytes:       "bytes",
	KindEnum:        "enum",
	KindRaw:         "raw",
}

// String returns the kind's lower-case name, such as "varchar".
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// IsInteger reports whether k is SmallInt, Integer or BigInt.
func (k Kind) IsInteger() bool { return k == KindSmallInt || k == KindInteger || k == KindBigInt }

// Type is a column's type, independent of any dialect. It is comparable:
// two types are the same type exactly when they are ==. Fields that do
// not apply to the Kind stay zero; build types with the variables and
// functions below rather than by hand so that they do.
type Type struct {
	// Kind is the type's family.
	Kind Kind
	// Length is the length of Varchar and Char; 0 means unbounded
	// (Varchar) or 1 (Char).
	Length int
	// Precision and Scale are Numeric's; Precision 0 means unconstrained.
	Precision, Scale int
	// Name is the enum type's name for KindEnum, or the SQL text for
	// KindRaw, exactly as it is to be rendered.
	Name string
	// Schema qualifies an enum type's name; empty for the default.
	Schema string
	// Values are an inline enum's values (MySQL's ENUM('a','b'), built
	// with [EnumOf]), each quoted as an SQL string literal (a quote doubled),
	// separated by commas. A string keeps Type comparable; read the
	// values with [Type.EnumValues]. Empty for any other type,
	// including a named enum type, whose values its [Enum] holds.
	Values string
}

// The types without parameters.
var (
	SmallInt    = Type{Kind: KindSmallInt}
	Integer     = Type{Kind: KindInteger}
	BigInt      = Type{Kind: KindBigInt}
	Boolean     = Type{Kind: KindBoolean}
	Text        = Type{Kind: KindText}
	Real        = Type{Kind: KindReal}
	Double      = Type{Kind: KindDouble}
	Date        = Type{Kind: KindDate}
	Time        = Type{Kind: KindTime}
	Timestamp   = Type{Kind: KindTimestamp}
	TimestampTZ = Type{Kind: KindTimestampTZ}
	Interval    = Type{Kind: KindInterval}
	UUID        = Type{Kind: KindUUID}
	JSON        = Type{Kind: KindJSON}
	JSONB       = Type{Kind: KindJSONB}
	Bytes       = Type{Kind: KindBytes}
)

// Varchar is a string of at most n characters; n <= 0 means no limit.
func Varchar(n int) Type { return Type{Kind: KindVarchar, Length: max(n, 0)} }

// Char is a fixed-length string of n characters (n <= 0 means 1).
func Char(n int) Type {
	if n <= 0 {
		n = 1
	}
	return Type{Kind: KindChar, Length: n}
}

// Numeric is an exact decimal of precision p and scale s; p <= 0 means
// unconstrained (and s is then ignored).
func Numeric(p, s int) Type {
	if p <= 0 {
		return Type{Kind: KindNumeric}
	}
	return Type{Kind: KindNumeric, Precision: p, Scale: max(s, 0)}
}

// EnumType is a column of the enum type called name (created with
// ops.CreateEnum), in the default schema.
func EnumType(name string) Type { return Type{Kind: KindEnum, Name: name} }

// EnumTypeIn is EnumType in schema s.
func EnumTypeIn(s, name string) Type { return Type{Kind: KindEnum, Schema: s, Name: name} }

// EnumOf is an inline enum type with the given values, in order: a
// column type that carries its values, as MySQL's ENUM('a', 'b') does.
// It has no name and needs no CREATE TYPE. Only MySQL and MariaDB
// store it as such; SQLite stores TEXT, and PostgreSQL refuses it (an
// enum there is a named type: [EnumType] with an [Enum]). Autogenerate
// turns the named enum types of a target schema into EnumOf columns on
// MySQL by itself.
func EnumOf(values ...string) Type {
	q := make([]string, len(values))
	for i, v := range values {
		q[i] = "'" + strings.ReplaceAll(v, "'", "''") + "'"
	}
	return Type{Kind: KindEnum, Values: strings.Join(q, ",")}
}

// IsInlineEnum reports whether t is an inline enum type made by
// [EnumOf] (not a named one).
func (t Type) IsInlineEnum() bool { return t.Kind == KindEnum && t.Name == "" && t.Values != "" }

// EnumValues returns an inline enum's values (see [EnumOf]), or nil for
// any other type.
func (t Type) EnumValues() []string {
	if t.Kind != KindEnum || t.Values == "" {
		return nil
	}
	vals, _ := parseEnumValues(t.Values)
	return vals
}

// parseEnumValues reads a list of quoted values separated by commas
// (spaces allowed around them), a quote inside a value doubled: the
// list of an inline enum. ok is false when s is not such a list.
func parseEnumValues(s string) (vals []string, ok bool) {
	s = strings.TrimSpace(s)
	for s != "" {
		v, rest, quoted := CutQuoted(s)
		if !quoted {
			return nil, false
		}
		vals = append(vals, v)
		s = strings.TrimSpace(rest)
		if s == "" {
			break
		}
		if s[0] != ',' {
			return nil, false
		}
		s = strings.TrimSpace(s[1:])
		if s == "" {
			return nil, false
		}
	}
	return vals, len(vals) > 0
}

// RawType is a type retort does not model, rendered as the SQL text sql
// on every dialect (for example "tsvector" or "int4range").
func RawType(sql string) Type { return Type{Kind: KindRaw, Name: sql} }

// IsZero reports whether t is the zero Type (no type).
func (t Type) IsZero() bool { return t == Type{} }

// String renders t in a neutral, lower-case notation for messages and
// Describe: "varchar(255)", "numeric(10,2)", "enum mood",
// "enum('a','b')", "raw tsvector".
func (t Type) String() string {
	switch t.Kind {
	case KindVarchar:
		if t.Length == 0 {
			return "varchar"
		}
		return "varchar(" + strconv.Itoa(t.Length) + ")"
	case KindChar:
		return "char(" + strconv.Itoa(t.Length) + ")"
	case KindNumeric:
		if t.Precision == 0 {
			return "numeric"
		}
		return "numeric(" + strconv.Itoa(t.Precision) + "," + strconv.Itoa(t.Scale) + ")"
	case KindEnum:
		if t.Name == "" {
			return "enum(" + t.Values + ")"
		}
		if t.Schema != "" {
			return "enum " + t.Schema + "." + t.Name
		}
		return "enum " + t.Name
	case KindRaw:
		return "raw " + t.Name
	}
	return t.Kind.String()
}
