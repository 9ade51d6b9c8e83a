COMMENT ON TABLE "customer" IS 'buyers'' table';
