# MySQL's lexical rules: backslash escapes, # and "-- " comments, quotes.
CREATE TABLE `odd;name` (
  `semi;colon` VARCHAR(50) NOT NULL DEFAULT 'a\';b', # a comment; with a semicolon
  `back``tick` VARCHAR(50) NOT NULL DEFAULT "c\";d",
  slash VARCHAR(50) NOT NULL DEFAULT 'e\\', -- a comment; too
  dq VARCHAR(50) NOT NULL DEFAULT 'it''s; fine'
);
INSERT INTO `odd;name` (slash) VALUES ('\\'), ('x\\\'y;'), ("\\"), ('-- not a comment; really');
SELECT 1--1 AS arithmetic, 2 -- a comment; here
  AS two;
SELECT '#not a comment;', "/* not a comment; */", `semi;colon` FROM `odd;name`;
/* a block comment; before */ SELECT 3 /* and one; inside */;
/*!40101 SET @saved = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
/*M!100500 SET @mariadb_only = 1 */;
/*!99999 SET @never = 1 */;
SELECT /*!50000 'executable; text',*/ 4;
SET character_set_client = @saved;
SELECT x'41', b'1', _utf8mb4'é;', N'n;' FROM DUAL;
