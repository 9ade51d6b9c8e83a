INSERT INTO `all_types` (`small`, `big`, `flag`, `txt`, `dbl`, `b`, `tstz`, `vc`) VALUES
    (1, 9007199254740993, TRUE, 'it''s', 1.5, X'00ff', '2026-01-02 03:04:05.6', NULL),
    (2, -3, FALSE, '', 2.25, X'', '2026-06-30 22:00:00', 'x');
