ALTER TABLE `tag` DROP CONSTRAINT `tag_label_check`;
