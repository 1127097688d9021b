-- A redemption's UPDATE of its ticket (state, updated_at) can be a HOT update: no index of tickets
-- names either column, in its key or in its predicate, any more.
--
-- V20's two partial indexes named state in their predicates, so every ticket UPDATE that flipped
-- the state wrote a new tuple into the three unique indexes of tickets as well (redeem-http:
-- n_tup_hot_upd 0 of the redemptions' updates). Neither served the expiry sweep: its condition is an
-- OR across the ticket and its combo's plan, which PostgreSQL planned as a parallel sequential scan
-- of all tickets (~130 ms every 5 s at 100k tickets, EXPLAIN ANALYZE on a redeem-http database).
--
-- tickets_expiry_open holds the tickets the expiry sweep may still have work for: those whose
-- expiry_booked is false. The flag now reads "nothing is left for expiry to do": expiry sets it after
-- booking the breakage (as before), and the sweep sets it, in batches, on REDEEMED and REFUNDED
-- tickets whose validity has ended (ExpiryImpl.RETIRE), which therefore leave the index once, days
-- after their redemption and off its path. So the sweep reads the range valid_until <= now of a
-- small index instead of every ticket.
DROP INDEX tickets_issued_until;
DROP INDEX tickets_expiry_unbooked;
CREATE INDEX tickets_expiry_open ON tickets (valid_until) WHERE NOT expiry_booked;

-- Room on each page for the updated version of a row, so that the HOT update finds it there.
-- ticket_spots was already HOT for about half its redemption updates (pruning frees space), tickets
-- for none. Applies to pages written from now on.
ALTER TABLE tickets SET (fillfactor = 85);
ALTER TABLE ticket_spots SET (fillfactor = 85);
