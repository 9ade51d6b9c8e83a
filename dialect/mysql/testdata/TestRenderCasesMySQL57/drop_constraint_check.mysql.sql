ALTER TABLE `tag` DROP CHECK `tag_label_check`;
