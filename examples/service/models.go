package main

import "time"

// Customer is a row of the customer table. Its tags describe the table
// that Sync creates in a fresh database, and the model helpers read
// them for queries: one struct serves both.
type Customer struct {
	ID      int64     `db:"id,pk" json:"id"`
	Email   string    `db:"email,unique" json:"email"`
	Name    string    `db:"name" json:"name"`
	City    *string   `db:"city" json:"city,omitempty"`
	Created time.Time `db:"created" retort:"default=CURRENT_TIMESTAMP" json:"created"`
}

// models are the tables of a fresh database.
var models = []any{Customer{}}
