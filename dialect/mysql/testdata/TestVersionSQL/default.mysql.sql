CREATE TABLE IF NOT EXISTS `alembic_version` (version_num VARCHAR(32) NOT NULL, CONSTRAINT `alembic_version_pkc` PRIMARY KEY (version_num));
INSERT INTO `alembic_version` (version_num) VALUES ('1a2b3c4d5e6f');
UPDATE `alembic_version` SET version_num='ab12cd34ef56' WHERE `alembic_version`.version_num = '1a2b3c4d5e6f';
DELETE FROM `alembic_version` WHERE `alembic_version`.version_num = 'ab12cd34ef56';
DELETE FROM `alembic_version`;
DROP TABLE `alembic_version`;
