ANALYZE customer;
