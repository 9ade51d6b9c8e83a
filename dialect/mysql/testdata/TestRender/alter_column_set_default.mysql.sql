ALTER TABLE `customer` ALTER COLUMN `created` SET DEFAULT now();
