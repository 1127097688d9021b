-- The expiry sweep's combo branch (ExpiryImpl.COMBO_DUE) finds the combo tickets of the plans that
-- are no longer OPEN, by their products. With no index of tickets by product it read every ticket
-- still in tickets_expiry_open as soon as one plan with combos was not OPEN, that is from its close
-- onwards, for good: every sweep, a sequential scan at 88k open tickets (70-114 ms, EXPLAIN ANALYZE
-- on a copy of 100k tickets), a bitmap heap scan of all open ones at 34k (23-53 ms); through this
-- index, 0.25-0.6 ms.
--
-- Partial on NOT expiry_booked like tickets_expiry_open: a ticket leaves it once expiry has booked
-- it or the sweep has retired it, so it holds the open tickets only. It names neither state nor
-- updated_at, so a redemption's UPDATE of its ticket stays HOT (V28).
--
-- CONCURRENTLY, so that building it on a large tickets table does not block the redemptions' and
-- issues' writes (a plain CREATE INDEX holds a SHARE lock on tickets until it is built). It cannot
-- run in a transaction: V29__tickets_open_by_product.sql.conf says executeInTransaction=false, and
-- Db migrates with Flyway's session-level advisory lock (postgresql.transactional.lock=false),
-- because the default transactional lock keeps a transaction open that CREATE INDEX CONCURRENTLY
-- waits for without end. A build that fails leaves an INVALID index behind and this migration
-- marked failed: after `flyway repair` the next start drops the leftover and builds it again.
DROP INDEX CONCURRENTLY IF EXISTS tickets_open_by_product;
CREATE INDEX CONCURRENTLY tickets_open_by_product ON tickets (product_id) WHERE NOT expiry_booked;
