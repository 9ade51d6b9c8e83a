ALTER TABLE `tag` ADD CONSTRAINT `tag_label_check` CHECK (label <> '');
