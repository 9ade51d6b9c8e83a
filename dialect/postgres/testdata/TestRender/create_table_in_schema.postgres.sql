CREATE TABLE "audit"."event" (
    "id" INTEGER NOT NULL,
    "at" TIMESTAMP NOT NULL,
    PRIMARY KEY ("id")
);
CREATE INDEX "ix_event_at" ON "audit"."event" ("at");
