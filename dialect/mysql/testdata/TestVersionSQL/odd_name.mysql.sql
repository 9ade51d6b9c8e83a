CREATE TABLE IF NOT EXISTS `we"ird version` (version_num VARCHAR(32) NOT NULL, CONSTRAINT `we"ird version_pkc` PRIMARY KEY (version_num));
INSERT INTO `we"ird version` (version_num) VALUES ('1a2b3c4d5e6f');
UPDATE `we"ird version` SET version_num='ab12cd34ef56' WHERE `we"ird version`.version_num = '1a2b3c4d5e6f';
DELETE FROM `we"ird version` WHERE `we"ird version`.version_num = 'ab12cd34ef56';
DELETE FROM `we"ird version`;
DROP TABLE `we"ird version`;
