package appdb

import (
	"fmt"
	"reflect"
	"time"

	"github.com/retortdb/retort/schema"
)

var (
	timeType    = reflect.TypeFor[time.Time]()
	timePtrType = reflect.TypeFor[*time.Time]()
)

// scanTargets returns pointers to v's mapped fields, in column order.
// time.Time fields scan through timeScanner, because SQLite hands back
// the text it stored for a column declared TIMESTAMPTZ.
func scanTargets(m *schema.Mapping, v reflect.Value) []any {
	out := make([]any, len(m.Fields))
	for i, f := range m.Fields {
		fv := v.FieldByIndex(f.Index)
		switch fv.Type() {
		case timeType:
			out[i] = &timeScanner{t: fv.Addr().Interface().(*time.Time)}
		case timePtrType:
			out[i] = &timeScanner{p: fv.Addr().Interface().(**time.Time)}
		default:
			out[i] = fv.Addr().Interface()
		}
	}
	return out
}

// timeLayouts are the text forms of a time SQLite may hold: what
// modernc.org/sqlite writes for a time.Time, CURRENT_TIMESTAMP's, and
// RFC 3339.
var timeLayouts = []string{
	"2006-01-02 15:04:05.999999999-07:00",
	"2006-01-02 15:04:05.999999999Z07:00",
	time.RFC3339Nano,
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02",
}

// timeScanner scans a time.Time (or a nullable *time.Time) from a
// time, text or Unix seconds.
type timeScanner struct {
	t *time.Time
	p **time.Time
}

func (s *timeScanner) Scan(src any) error {
	var t time.Time
	switch v := src.(type) {
	case nil:
		if s.p != nil {
			*s.p = nil
			return nil
		}
		return fmt.Errorf("cannot scan NULL into time.Time; make the field *time.Time")
	case time.Time:
		t = v
	case int64:
		t = time.Unix(v, 0).UTC()
	case []byte:
		return s.Scan(string(v))
	case string:
		var err error
		if t, err = parseTime(v); err != nil {
			return err
		}
	default:
		return fmt.Errorf("cannot scan %T into time.Time", src)
	}
	if s.p != nil {
		*s.p = &t
	} else {
		*s.t = t
	}
	return nil
}

func parseTime(s string) (time.Time, error) {
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("cannot read %q as a time", s)
}
