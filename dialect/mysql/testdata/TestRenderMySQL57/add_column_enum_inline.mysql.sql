ALTER TABLE `customer` ADD COLUMN `mood` ENUM('sad', 'it''s ok', 'back\\slash', 'a,b') NOT NULL DEFAULT 'it''s ok';
