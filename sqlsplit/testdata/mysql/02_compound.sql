-- Stored programs written with plain semicolons: the splitter follows
-- their compound statements, so no DELIMITER is needed.
CREATE TABLE stock (
  sku VARCHAR(20) PRIMARY KEY,
  qty INT NOT NULL DEFAULT 0,
  note VARCHAR(200) NOT NULL DEFAULT ''
);
CREATE TABLE stock_log (id INT PRIMARY KEY AUTO_INCREMENT, msg TEXT NOT NULL);

-- A trigger whose body is a bare IF, with IF() and IF EXISTS inside.
CREATE TRIGGER stock_bi BEFORE INSERT ON stock FOR EACH ROW
IF NEW.qty < 0 THEN
  SET NEW.qty = IF(NEW.qty < -100, 0, -NEW.qty);
  SET NEW.note = CONCAT(NEW.note, 'negated; ');
ELSEIF (NEW.qty > 1000) THEN
  IF NEW.note = '' THEN SET NEW.note = 'bulk'; END IF;
ELSE
  SET NEW.note = REPEAT('.', 2);
END IF;

-- The usual trigger with BEGIN ... END, a label and a CASE statement.
CREATE DEFINER = CURRENT_USER TRIGGER stock_au AFTER UPDATE ON stock FOR EACH ROW
audit: BEGIN
  CASE
    WHEN NEW.qty = OLD.qty THEN LEAVE audit;
    WHEN NEW.qty > OLD.qty THEN
      INSERT INTO stock_log (msg) VALUES (CONCAT('up ', NEW.sku, ';'));
    ELSE
      INSERT INTO stock_log (msg) VALUES (CASE WHEN NEW.qty = 0 THEN 'empty' ELSE IF(NEW.qty < 5, 'low', 'down') END);
  END CASE;
END audit;

-- A trigger with an order clause and a one-statement body.
CREATE TRIGGER stock_au2 AFTER UPDATE ON stock FOR EACH ROW FOLLOWS stock_au
  SET @updates = COALESCE(@updates, 0) + 1;

-- A parameter named begin, loops, a cursor and handlers.
CREATE PROCEDURE restock(IN begin INT, IN step INT)
main: BEGIN
  DECLARE done INT DEFAULT 0;
  DECLARE s VARCHAR(20);
  DECLARE n INT DEFAULT begin;
  DECLARE cur CURSOR FOR SELECT sku FROM stock ORDER BY sku FOR UPDATE;
  DECLARE CONTINUE HANDLER FOR NOT FOUND SET done = 1;
  DECLARE EXIT HANDLER FOR SQLSTATE VALUE '22003', 1264
    IF step > 0 THEN
      RESIGNAL;
    END IF;
  OPEN cur;
  fetching: LOOP
    FETCH cur INTO s;
    IF done THEN LEAVE fetching; END IF;
    UPDATE stock SET qty = qty + n WHERE sku = s;
    SET n = n + step;
  END LOOP fetching;
  CLOSE cur;
  counting: WHILE n > 0 DO
    SET n = n - 1;
    IF n MOD 2 = 0 THEN ITERATE counting; END IF;
  END WHILE counting;
  REPEAT
    SET n = n + 1;
  UNTIL n >= 3 END REPEAT;
  FOR i IN 1..2 DO
    INSERT INTO stock_log (msg) VALUES (CONCAT('pass ', i));
  END FOR;
END main;

-- A procedure whose body is a bare LOOP.
CREATE PROCEDURE spin(INOUT k INT)
  NOT DETERMINISTIC MODIFIES SQL DATA COMMENT 'no BEGIN here'
spin_loop: LOOP
  SET k = k + 1;
  IF k >= 10 THEN LEAVE spin_loop; END IF;
END LOOP spin_loop;

-- Functions with and without a body; RETURN IF() is not a compound IF.
CREATE FUNCTION clamp(v INT) RETURNS INT DETERMINISTIC RETURN IF(v < 0, 0, v);
CREATE FUNCTION label_of(v INT) RETURNS VARCHAR(10) DETERMINISTIC
BEGIN
  DECLARE r VARCHAR(10);
  CASE WHEN v < 0 THEN SET r = 'neg'; WHEN v = 0 THEN SET r = 'zero'; ELSE SET r = 'pos'; END CASE;
  RETURN r;
END;

-- MariaDB's aggregate functions.
CREATE AGGREGATE FUNCTION sum_positive(x INT) RETURNS INT
BEGIN
  DECLARE total INT DEFAULT 0;
  DECLARE CONTINUE HANDLER FOR NOT FOUND RETURN total;
  LOOP
    FETCH GROUP NEXT ROW;
    IF x > 0 THEN SET total = total + x; END IF;
  END LOOP;
END;

-- Events whose body is a BEGIN ... END or a bare IF.
CREATE EVENT IF NOT EXISTS prune ON SCHEDULE EVERY 1 DAY DISABLE
DO BEGIN
  DELETE FROM stock_log WHERE id < 0;
  DELETE FROM stock_log WHERE msg = 'x';
END;
CREATE EVENT tidy ON SCHEDULE EVERY 1 HOUR DISABLE COMMENT 'tidy; up' DO
  IF (SELECT COUNT(*) FROM stock_log) > 1000 THEN
    DELETE FROM stock_log ORDER BY id LIMIT 100;
  END IF;

-- MariaDB's anonymous block.
BEGIN NOT ATOMIC
  DECLARE c INT DEFAULT 0;
  INSERT INTO stock (sku, qty) VALUES ('a', -3), ('b', 2000), ('c', 4);
  SELECT COUNT(*) INTO c FROM stock;
  IF c <> 3 THEN
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'expected three rows; got other';
  END IF;
END;

CALL restock(1, 2);
SET @k = 0;
CALL spin(@k);
SELECT clamp(-1), label_of(2), sum_positive(qty), @k FROM stock;
