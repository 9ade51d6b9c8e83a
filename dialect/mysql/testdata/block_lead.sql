BEGIN NOT ATOMIC
  SET @retort_block_start = SYSDATE(6);
  ALTER TABLE t01 ADD COLUMN note TEXT -- the note
  ;
  SET @retort_block_lead = '<token>';
  UPDATE `alembic_version` SET version_num='b2' WHERE `alembic_version`.version_num = 'a1';
  IF ROW_COUNT() <> 1 THEN BEGIN
    DECLARE m VARCHAR(100) DEFAULT CONCAT('retort block: row count of statement 0: ', ROW_COUNT());
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = m;
  END; END IF;
  INSERT INTO `alembic_version_history` (revision) VALUES ('b2;');
END