CREATE TABLE "customer" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "name" TEXT NOT NULL,
    "email" VARCHAR(255),
    "balance" NUMERIC(10, 2) NOT NULL DEFAULT '0',
    "created" TIMESTAMPTZ DEFAULT (CURRENT_TIMESTAMP),
    CONSTRAINT "customer_email_key" UNIQUE ("email"),
    CONSTRAINT "customer_balance_check" CHECK (balance >= 0)
);
CREATE INDEX "ix_customer_name" ON "customer" ("name");
