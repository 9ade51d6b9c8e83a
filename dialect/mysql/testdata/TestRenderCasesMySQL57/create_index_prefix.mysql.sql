CREATE UNIQUE INDEX `ix_bio` ON `account` (`bio`(191), `email` DESC);
