DROP SCHEMA `sales`;
