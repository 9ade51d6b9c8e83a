VACUUM `customer`;
