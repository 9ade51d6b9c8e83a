CREATE UNIQUE INDEX "uq_customer_active_email" ON "customer" ("email") WHERE balance > 0;
