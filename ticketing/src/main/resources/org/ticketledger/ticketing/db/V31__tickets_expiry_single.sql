-- The expiry sweep's single-ticket branch (ExpiryImpl.SINGLE_DUE) reads tickets_expiry_open's range
-- valid_until <= now in order and stops after a batch. That range also holds the ISSUED combo tickets
-- past their validity whose plan is still OPEN: they expire only when the plan closes, which may be
-- weeks later, so every sweep read each of them (heap fetch, then the combo filter) before any due
-- single ticket behind them, and at "nothing due" read them all.
--
-- combo marks a ticket of a combo product (products.kind = 'COMBO', each of which has its
-- combo_products row from the same transaction): it is set when the ticket is issued and never
-- changes. tickets_expiry_single holds the open single tickets only. The sweep still filters on
-- combo_products as well, so a combo ticket stored without the flag (by an instance of the previous
-- version during a rolling upgrade) is only read, never expired as a single ticket.
--
-- Neither the column nor the index names state or updated_at: a redemption's UPDATE stays HOT (V28).
-- ADD COLUMN with a constant default rewrites nothing. The index is built CONCURRENTLY as in V29
-- (see there; V31__tickets_expiry_single.sql.conf).
ALTER TABLE tickets ADD COLUMN IF NOT EXISTS combo boolean NOT NULL DEFAULT false;
UPDATE tickets SET combo = true WHERE NOT combo AND product_id IN (SELECT product_id FROM combo_products);
DROP INDEX CONCURRENTLY IF EXISTS tickets_expiry_single;
CREATE INDEX CONCURRENTLY tickets_expiry_single ON tickets (valid_until) WHERE NOT expiry_booked AND NOT combo;
