CREATE SPATIAL INDEX `ix_place_at` ON `place` (`at`);
