CREATE FULLTEXT INDEX `ix_bio_text` ON `account` (`bio`, `email`);
