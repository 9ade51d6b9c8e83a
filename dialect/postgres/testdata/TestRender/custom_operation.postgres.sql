VACUUM "customer";
