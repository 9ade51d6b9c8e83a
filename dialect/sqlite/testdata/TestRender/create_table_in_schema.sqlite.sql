CREATE TABLE "audit"."event" (
    "id" INTEGER NOT NULL,
    "at" TIMESTAMP NOT NULL,
    PRIMARY KEY ("id")
);
CREATE INDEX "audit"."ix_event_at" ON "event" ("at");
