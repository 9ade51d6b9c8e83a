CREATE TABLE IF NOT EXISTS `Ops Schema`.`alembic_version` (version_num VARCHAR(32) NOT NULL, CONSTRAINT `alembic_version_pkc` PRIMARY KEY (version_num));
INSERT INTO `Ops Schema`.`alembic_version` (version_num) VALUES ('1a2b3c4d5e6f');
UPDATE `Ops Schema`.`alembic_version` SET version_num='ab12cd34ef56' WHERE `Ops Schema`.`alembic_version`.version_num = '1a2b3c4d5e6f';
DELETE FROM `Ops Schema`.`alembic_version` WHERE `Ops Schema`.`alembic_version`.version_num = 'ab12cd34ef56';
DELETE FROM `Ops Schema`.`alembic_version`;
DROP TABLE `Ops Schema`.`alembic_version`;
