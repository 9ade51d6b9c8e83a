CREATE VIEW `rich` AS SELECT id, name FROM customer WHERE balance > 1000;
