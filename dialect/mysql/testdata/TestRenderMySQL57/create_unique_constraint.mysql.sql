ALTER TABLE `tag` ADD CONSTRAINT `tag_label_key` UNIQUE (`label`, `kind`);
