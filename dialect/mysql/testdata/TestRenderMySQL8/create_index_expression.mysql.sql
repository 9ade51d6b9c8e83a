CREATE INDEX `ix_customer_lower_email` ON `customer` ((lower(email)), `created` DESC);
