DROP INDEX "ix_customer_name";
