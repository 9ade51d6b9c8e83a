package sqlsplit

import (
	"strings"
	"testing"
)

// script builds a realistic script of about size bytes.
func script(size int) string {
	const chunk = `-- create the customer table
CREATE TABLE customer (
    id    BIGSERIAL PRIMARY KEY,
    name  TEXT NOT NULL DEFAULT 'nobody; really',
    "order" INT /* quoted; reserved */
);
INSERT INTO customer (name) VALUES ('it''s'), (E'tab\t;');
CREATE FUNCTION touch() RETURNS trigger AS $fn$
BEGIN
  NEW.updated := now();
  RETURN NEW;
END;
$fn$ LANGUAGE plpgsql;
CREATE FUNCTION one() RETURNS int LANGUAGE sql
BEGIN ATOMIC
  SELECT CASE WHEN true THEN 1 ELSE 0 END;
END;
`
	var b strings.Builder
	for b.Len() < size {
		b.WriteString(chunk)
	}
	return b.String()
}

func BenchmarkSplit(b *testing.B) {
	src := script(1 << 20)
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Split(src, Postgres); err != nil {
			b.Fatal(err)
		}
	}
}
