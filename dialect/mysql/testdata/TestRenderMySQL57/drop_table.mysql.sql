DROP TABLE `customer`;
