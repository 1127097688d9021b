-- A request id the rail declined stays live at the rail: a refusal binds nothing (HJB-API § 10, the
-- Alipay sandbox's trades), so the same id may be sent again later and then succeed. Until now a
-- new round after a decline (an order's reapply after a top-up, a payout's or an invest's retry)
-- also took a new request id (col-/pay-/inv-/wdr-<id>-<round>). A copy of the old round's request
-- still on its way (held in the network or in the rail's queue past our timeout, answered "not
-- found" by the status query, and refused when we re-sent it) could then be carried out after the
-- top-up, and the new round's id collected or paid a second time. The chaos run found one such
-- order charged twice.
--
-- request_round is the round whose request id the row uses for good. NULL means the current round
-- (every row before its first new round, and every row written before this migration, whose
-- current id may be in flight). Starting a new round freezes it at COALESCE(request_round, round),
-- so the rail's idempotency by request id covers every round: a delayed copy and the new round's
-- send are the same request, and at most one of them moves money. The round itself still counts
-- up: it keys the round's ledger hold, void and SMS.
--
-- Nullable columns without a default rewrite nothing. NOT VALID: old rows hold NULL and pass anyway;
-- new and updated rows are checked.
ALTER TABLE orders ADD COLUMN IF NOT EXISTS request_round int;
ALTER TABLE orders ADD CONSTRAINT orders_request_round
    CHECK (request_round BETWEEN 1 AND charge_round) NOT VALID;
ALTER TABLE payouts ADD COLUMN IF NOT EXISTS request_round int;
ALTER TABLE payouts ADD CONSTRAINT payouts_request_round
    CHECK (request_round BETWEEN 1 AND round) NOT VALID;
ALTER TABLE plan_instructions ADD COLUMN IF NOT EXISTS request_round int;
ALTER TABLE plan_instructions ADD CONSTRAINT plan_instructions_request_round
    CHECK (request_round BETWEEN 1 AND round) NOT VALID;
