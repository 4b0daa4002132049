-- The request-rate bucket of each portal, shared by every process of the application on
-- PostgreSQL (`PortalBucket`): the portal counts the requests of all of them against one limit.
-- `level` is the number of requests still in the leaky bucket as of `last_at` (Unix seconds by
-- the database server's clock, so processes with skewed clocks agree). On SQLite one process
-- owns the file and its clients pace in memory: the table exists (the migrations are shared)
-- and stays empty.
CREATE TABLE bitrix_rate_buckets (
    member_id TEXT PRIMARY KEY,
    level DOUBLE PRECISION NOT NULL,
    last_at DOUBLE PRECISION NOT NULL
);
