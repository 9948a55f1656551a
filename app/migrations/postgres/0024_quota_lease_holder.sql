-- The run of the instance that took each quota lease (its quota journal names the run):
-- a run killed and started again ends all of its last run's leases, one it never
-- journaled as having spent nothing.
ALTER TABLE quota_leases ADD COLUMN holder BIGINT NOT NULL DEFAULT 0;
CREATE INDEX quota_leases_holder ON quota_leases (holder);
