ALTER TABLE `account` MODIFY COLUMN `mood` ENUM('sad', 'ok', 'great', 'it''s complicated') NOT NULL DEFAULT 'ok' COMMENT 'how they feel';
