CREATE OR REPLACE VIEW `sales`.`rich` AS SELECT id FROM customer;
