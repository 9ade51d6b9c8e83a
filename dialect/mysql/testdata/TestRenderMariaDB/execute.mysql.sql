UPDATE customer SET balance = 0 WHERE balance IS NULL;
