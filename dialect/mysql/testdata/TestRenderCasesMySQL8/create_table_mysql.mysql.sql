CREATE TABLE `account` (
    `id` BIGINT NOT NULL AUTO_INCREMENT,
    `email` VARCHAR(191) NOT NULL,
    `bio` LONGTEXT DEFAULT ('none yet'),
    `active` BOOL NOT NULL DEFAULT '1',
    `balance` NUMERIC(10, 2) NOT NULL DEFAULT '0',
    `created` TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    `seen` TIMESTAMP(6) NULL,
    `token` CHAR(36) DEFAULT (uuid()),
    `prefs` JSON,
    `mood` ENUM('sad', 'ok', 'great') DEFAULT 'ok',
    PRIMARY KEY (`id`),
    CONSTRAINT `account_email_key` UNIQUE (`email`),
    CONSTRAINT `account_balance_check` CHECK (balance >= 0),
    INDEX `ix_account_bio` (`bio`(100)),
    INDEX `ix_account_created` (`created`)
) AUTO_INCREMENT = 1000 COMMENT = 'who pays';
