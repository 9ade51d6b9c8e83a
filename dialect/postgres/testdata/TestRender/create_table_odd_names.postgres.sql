CREATE TABLE "we""ird table" (
    "select" TEXT DEFAULT 'it''s',
    "Mixed Case" INTEGER
);
