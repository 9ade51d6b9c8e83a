DROP TABLE "customer";
