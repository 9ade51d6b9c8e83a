ALTER TABLE `tag` DROP INDEX `tag_label_key`;
