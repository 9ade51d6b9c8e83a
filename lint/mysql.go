package lint

// copies tells why a MySQL/MariaDB ALTER TABLE, whose actions are the
// clauses cs, makes the server copy the table (ALGORITHM=COPY: every
// row rewritten while writes wait), or "" when InnoDB can run it in
// place or instantly. A statement that names ALGORITHM=INPLACE, INSTANT
// or NOCOPY never copies: the server refuses it instead.
func (s *stmt) copies(cs [][2]int) string {
	switch s.algorithm() {
	case "INPLACE", "INSTANT", "NOCOPY":
		return ""
	case "COPY":
		return "ALGORITHM=COPY"
	}
	addsPK := false
	for _, c := range cs {
		if s.seq(c[0], "ADD", "PRIMARY", "KEY") || (s.at(c[0]) == "ADD" && s.at(c[0]+1) == "CONSTRAINT" && s.in(c, "PRIMARY", "KEY")) {
			addsPK = true
		}
	}
	for _, c := range cs {
		if why := s.copyClause(c, addsPK); why != "" {
			return why
		}
	}
	return ""
}

// copyClause is [stmt.copies] for one action.
func (s *stmt) copyClause(c [2]int, addsPK bool) string {
	switch s.at(c[0]) {
	case "MODIFY", "CHANGE":
		return s.at(c[0]) + " changes the column's definition, which copies the table unless its type stays the same, only ENUM/SET values are appended, or a VARCHAR grows within the same length bytes"
	case "CONVERT":
		return "CONVERT TO CHARACTER SET rewrites every row"
	case "ORDER":
		return "ORDER BY sorts the rows into a new copy"
	case "PARTITION", "REMOVE":
		if s.at(c[0]) == "PARTITION" || s.seq(c[0], "REMOVE", "PARTITIONING") {
			return "changing the partitioning copies the table"
		}
	case "DROP":
		if s.seq(c[0], "DROP", "PRIMARY", "KEY") && !addsPK {
			return "DROP PRIMARY KEY without adding another copies the table"
		}
	case "ADD":
		switch {
		case s.in(c, "FOREIGN", "KEY"):
			return "ADD FOREIGN KEY copies the table unless foreign_key_checks is 0"
		case s.in(c, "AUTO_INCREMENT"):
			return "an AUTO_INCREMENT column is filled by copying the table"
		case (s.in(c, "AS") || s.in(c, "GENERATED")) && (s.in(c, "STORED") || s.in(c, "PERSISTENT")):
			return "a STORED generated column is computed by copying the table"
		}
	}
	return ""
}

// algorithm returns the statement's ALGORITHM= value, upper-cased, or "".
func (s *stmt) algorithm() string {
	i := s.find(0, "ALGORITHM")
	if i < 0 {
		return ""
	}
	if s.at(i+1) == "=" {
		i++
	}
	return s.at(i + 1)
}
