ALTER TABLE `account` ALTER COLUMN `bio` SET DEFAULT ('n/a');
