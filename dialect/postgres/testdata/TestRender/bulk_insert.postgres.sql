INSERT INTO "all_types" ("small", "big", "flag", "txt", "dbl", "b", "tstz", "vc") VALUES
    (1, 9007199254740993, TRUE, 'it''s', 1.5, '\x00ff'::bytea, '2026-01-02 03:04:05.6+00:00', NULL),
    (2, -3, FALSE, '', 2.25, '\x'::bytea, '2026-07-01 00:00:00+02:00', 'x');
