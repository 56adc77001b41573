-- One row the readiness check writes while appends are failing, to tell when writes work again
-- without appending anything to the log.
CREATE TABLE health_probe (id INT NOT NULL PRIMARY KEY, checked_at BIGINT NOT NULL) ENGINE=InnoDB;
INSERT INTO health_probe (id, checked_at) VALUES (1, 0);
