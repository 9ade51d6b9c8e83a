SELECT table_schema, table_name, index_name, non_unique, column_name, NULL, sub_part, COALESCE(collation, 'A'), index_type
FROM information_schema.statistics WHERE table_schema IN (:schemas)
ORDER BY table_schema, table_name, index_name, seq_in_index
