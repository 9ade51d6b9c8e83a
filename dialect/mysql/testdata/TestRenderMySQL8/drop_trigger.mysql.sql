DROP TRIGGER IF EXISTS `customer_audit`;
