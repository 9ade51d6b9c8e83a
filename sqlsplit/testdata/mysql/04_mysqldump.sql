/*M!999999\- enable the sandbox mode */ 
-- A file in the shape mariadb-dump writes: conditional comments, LOCK
-- TABLES, and triggers, events and routines between DELIMITER ;; lines.
--
-- Server version	10.11

/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;
/*!40101 SET NAMES utf8mb4 */;
/*!40103 SET @OLD_TIME_ZONE=@@TIME_ZONE */;
/*!40103 SET TIME_ZONE='+00:00' */;
/*!40014 SET @OLD_UNIQUE_CHECKS=@@UNIQUE_CHECKS, UNIQUE_CHECKS=0 */;
/*!40101 SET @OLD_SQL_MODE=@@SQL_MODE, SQL_MODE='NO_AUTO_VALUE_ON_ZERO' */;

--
-- Table structure for table `shelf`
--

DROP TABLE IF EXISTS `shelf`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `shelf` (
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `title` varchar(80) NOT NULL DEFAULT 'untitled; for now',
  `copies` int(11) NOT NULL DEFAULT 0,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB AUTO_INCREMENT=4 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
/*!40101 SET character_set_client = @saved_cs_client */;

LOCK TABLES `shelf` WRITE;
/*!40000 ALTER TABLE `shelf` DISABLE KEYS */;
INSERT INTO `shelf` VALUES
(1,'Don\'t panic; really',2),
(2,'C:\\path\\to;file',0),
(3,'say \"hi\"',1);
/*!40000 ALTER TABLE `shelf` ENABLE KEYS */;
UNLOCK TABLES;
/*!50003 SET @saved_sql_mode       = @@sql_mode */ ;
/*!50003 SET sql_mode              = 'STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION' */ ;
DELIMITER ;;
/*!50003 CREATE*/ /*!50017 DEFINER=CURRENT_USER*/ /*!50003 TRIGGER shelf_bu BEFORE UPDATE ON shelf FOR EACH ROW
BEGIN
  IF NEW.copies < 0 THEN
    SET NEW.copies = 0;
  END IF;
END 
*/;;
DELIMITER ;
/*!50003 SET sql_mode              = @saved_sql_mode */ ;

--
-- Temporary table structure for view `stocked`
--

DROP TABLE IF EXISTS `stocked`;
/*!50001 DROP VIEW IF EXISTS `stocked`*/;
/*!50001 CREATE VIEW `stocked` AS SELECT
 1 AS `title` */;

--
-- Dumping events for database
--
/*!50106 SET @save_time_zone= @@TIME_ZONE */ ;
/*!50106 DROP EVENT IF EXISTS `restock` */;
DELIMITER ;;
/*!50003 SET @saved_time_zone      = @@time_zone */ ;;
/*!50003 SET time_zone             = 'SYSTEM' */ ;;
/*!50106 CREATE*/ /*!50117 DEFINER=CURRENT_USER*/ /*!50106 EVENT `restock` ON SCHEDULE EVERY 1 DAY STARTS '2030-01-01 00:00:00' ON COMPLETION NOT PRESERVE DISABLE DO BEGIN UPDATE shelf SET copies = copies + 1 WHERE copies = 0; DELETE FROM shelf WHERE title = ''; END 
*/ ;;
/*!50003 SET time_zone             = @saved_time_zone */ ;;
DELIMITER ;
/*!50106 SET TIME_ZONE= @save_time_zone */ ;

--
-- Dumping routines for database
--
/*!50003 DROP FUNCTION IF EXISTS `copies_of` */;
DELIMITER ;;
CREATE DEFINER=CURRENT_USER FUNCTION `copies_of`(t VARCHAR(80)) RETURNS int(11)
    READS SQL DATA
BEGIN
  DECLARE n INT;
  SELECT copies INTO n FROM shelf WHERE title = t;
  RETURN COALESCE(n, 0);
END ;;
DELIMITER ;
/*!50003 DROP PROCEDURE IF EXISTS `lend` */;
DELIMITER ;;
CREATE DEFINER=CURRENT_USER PROCEDURE `lend`(IN book INT)
lend: BEGIN
  UPDATE shelf SET copies = copies - 1 WHERE id = book;
END
;;
DELIMITER ;

--
-- Final view structure for view `stocked`
--

/*!50001 DROP VIEW IF EXISTS `stocked`*/;
/*!50001 CREATE ALGORITHM=UNDEFINED */
/*!50013 DEFINER=CURRENT_USER SQL SECURITY DEFINER */
/*!50001 VIEW `stocked` AS select `shelf`.`title` AS `title` from `shelf` where `shelf`.`copies` > 0 */;
/*!40103 SET TIME_ZONE=@OLD_TIME_ZONE */;
/*!40101 SET SQL_MODE=@OLD_SQL_MODE */;
/*!40014 SET UNIQUE_CHECKS=@OLD_UNIQUE_CHECKS */;
/*!40101 SET CHARACTER_SET_CLIENT=@OLD_CHARACTER_SET_CLIENT */;

-- Dump completed
