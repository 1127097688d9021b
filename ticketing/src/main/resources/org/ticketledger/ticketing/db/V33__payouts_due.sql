-- The payout sweep's claim (LeasedSweep over PayoutsImpl.DUE) wants the due payouts oldest attempt
-- first: state IN ('PENDING', 'SENT', 'RETRYING'), ordered by next_attempt_at, a batch at a time.
-- payouts_state (state, next_attempt_at) cannot give that order across three states, so PostgreSQL
-- read every payout (a sequential scan: DONE rows are kept for ever) and sorted the due ones for each
-- batch. In redeem-http (2026-11-28, 100k tickets) each claim of 100 took ~46 ms of PostgreSQL time,
-- reading the whole table: ~25 payout rows per redemption, growing with the table.
--
-- payouts_due holds the due states only, in claim order: the claim reads it in order and stops after
-- a batch (plus any leased rows ahead of it). A payout enters it at its INSERT and at SENT, and leaves
-- at DONE, AWAITING_FUNDS or MANUAL_REVIEW (to be pruned by vacuum). Built CONCURRENTLY as in V29 and
-- V31 (V33__payouts_due.sql.conf); a build that failed half-way leaves an invalid index, dropped first.
DROP INDEX CONCURRENTLY IF EXISTS payouts_due;
CREATE INDEX CONCURRENTLY payouts_due ON payouts (next_attempt_at NULLS FIRST) WHERE state IN ('PENDING', 'SENT', 'RETRYING');
