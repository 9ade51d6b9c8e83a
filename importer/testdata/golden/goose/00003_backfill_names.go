// backfill names
//
// Revision ID: 00003
// Revises: 00002
// Branch Labels:
// Depends On:
// Create Date:

package migrations

import (
	"context"

	"errors"
	"github.com/retortdb/retort"
)

func init() {
	Registry.Add(retort.Migration{
		Revision: "00003",
		Revises:  []string{"00002"},
		Message:  "backfill names",
		Upgrade: func(ctx context.Context, op *retort.Op) error {
			// Port Up of goose's 00003_backfill_names.go here.
			return errors.New("revision 00003: the Up of goose Go migration 00003_backfill_names.go is not ported yet")
		},
		Downgrade: func(ctx context.Context, op *retort.Op) error {
			// Port Down of goose's 00003_backfill_names.go here.
			return errors.New("revision 00003: the Down of goose Go migration 00003_backfill_names.go is not ported yet")
		},
	})
}
