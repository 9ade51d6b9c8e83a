CREATE TYPE "mood" AS ENUM ('sad', 'ok', 'it''s great');
