-- Routines written for the mysql client: each DELIMITER block ends its
-- statements with the new delimiter, and ';' inside them is plain text.
CREATE TABLE ledger (
  id INT PRIMARY KEY AUTO_INCREMENT,
  amount DECIMAL(10,2) NOT NULL,
  delimiter CHAR(1) NOT NULL DEFAULT ';',
  memo VARCHAR(100) NOT NULL DEFAULT '//',
  begin INT NOT NULL DEFAULT 0
);

DELIMITER //
CREATE PROCEDURE add_entries(IN n INT)
BEGIN
  DECLARE i INT DEFAULT 0;
  -- a comment with // inside is not a delimiter
  WHILE i < n DO
    INSERT INTO ledger (amount, memo) VALUES (i, 'entry //; kept');
    SET i = i + 1;
  END WHILE;
END//

CREATE FUNCTION signum(x INT) RETURNS INT DETERMINISTIC
BEGIN
  IF x > 0 THEN RETURN 1; ELSEIF x < 0 THEN RETURN -1; END IF;
  RETURN 0;
END
//
DELIMITER ;

CALL add_entries(3);

delimiter $$
CREATE PROCEDURE total(OUT t DECIMAL(10,2))
BEGIN
  SELECT SUM(amount) INTO t FROM ledger;
END$$
CREATE FUNCTION twice(x INT) RETURNS INT DETERMINISTIC
BEGIN
  RETURN x * 2;
END;$$
DeLiMiTeR ;

# A body that names a column "begin" unqualified needs DELIMITER: without
# it the word would open a block.
DELIMITER ;;
CREATE TRIGGER ledger_bi BEFORE INSERT ON ledger FOR EACH ROW
BEGIN
  DECLARE last_begin INT;
  SELECT MAX(begin) INTO last_begin FROM ledger;
  SET NEW.begin = COALESCE(last_begin, 0) + 1;
END;;
DELIMITER ;

DELIMITER 'end it'
INSERT INTO ledger (amount) VALUES (signum(-5) + twice(2))end it
DELIMITER ;
CALL total(@t);
SELECT @t, delimiter FROM ledger WHERE memo = '//' OR memo LIKE '%;%';
