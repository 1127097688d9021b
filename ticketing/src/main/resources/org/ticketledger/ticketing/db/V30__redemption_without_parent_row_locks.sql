-- The online redemption's writes take no row lock on a parent any more: the foreign keys of
-- scan_records (device_id, spot_id, ticket_id) and of payouts (party_id) are dropped, as the ledger's
-- (ledger V2) and the orders' (V26) were, and two indexes no statement reads are dropped.
--
-- Each foreign key ran an RI check per inserted row: one more SPI statement, an index probe and a
-- SELECT ... FOR KEY SHARE of the parent row. Every redemption at a spot key-share-locked that spot's
-- one parties row twice (scan record and payout) and its gate's devices row once, so concurrent
-- redemptions turned those locks into MultiXacts, each lock a WAL record, all on two hot pages.
-- Measured on a copy of a redeem-http database (pgbench, 8 clients calling this function, 4 gates at
-- one spot, fsync and synchronous_commit on): 32.2 -> 27.3 WAL records and 5,270 -> 4,960 WAL bytes
-- per redemption; the scan record's INSERT 727 -> 259 us and the payout's 497 -> 333 us wall under
-- load (pg_stat_statements, track = all).
--
-- What the keys guarded still holds, checked by the statements that write the rows:
--  * scan_records.ticket_id is the id of the ticket row the function (or the sync path, under the same
--    lock) has just read FOR UPDATE, or NULL for a synced scan of an unknown ticket;
--  * scan_records.device_id and spot_id: with a session, the function's first statement requires the
--    session's device at p_spot_id, a party whose code is p_spot_no (V23); without one it now requires
--    the device at that spot (below); the sync path writes the authenticated session's device and spot;
--  * payouts.party_id: the redemption pays p_spot_id only after reading it as a SCENIC_SPOT party with
--    its receiving account; refunds pay the order's distributor and profit shares a rule's
--    beneficiary, each after reading that party's account version in the same transaction
--    (party_accounts keeps its foreign key to parties);
--  * parties, devices and tickets are never deleted and their keys never change.
--
-- Indexes no statement reads (grep of ticketing, the host app and ledger-cli):
--  * redeem_answers_created (created_at): nothing reads answers by age; an answer is read by its
--    primary key (device, record);
--  * scan_records_arrival_key (UNIQUE arrival): arrival is only the tie-break among the scans of one
--    (ticket, spot), read through scan_records_ticket (code_ticket_id, spot_id, scanned_at, arrival);
--    its values come from the column's sequence alone (no statement writes arrival).
--
-- Dropping constraints and indexes only changes the catalog (brief ACCESS EXCLUSIVE locks, no rewrite).
ALTER TABLE scan_records DROP CONSTRAINT scan_records_device_id_fkey,
                         DROP CONSTRAINT scan_records_spot_id_fkey,
                         DROP CONSTRAINT scan_records_ticket_id_fkey,
                         DROP CONSTRAINT scan_records_arrival_key;
ALTER TABLE payouts DROP CONSTRAINT payouts_party_id_fkey;
DROP INDEX redeem_answers_created;

-- V25's function, answers, locks and writes unchanged, but for the check without a session above.
CREATE OR REPLACE FUNCTION device_redeem_online(p_device_id text, p_record_id text, p_digest text, p_nonce text,
                                                p_ticket_no bigint, p_spot_id text, p_code text, p_scanned_at timestamptz,
                                                p_clock_offset_ms bigint, p_sequence bigint, p_signature bytea,
                                                p_now timestamptz, p_answer text, p_payout_id text, p_history_detail text,
                                                p_currency text, p_scale int, p_session_id text, p_access_hash text,
                                                p_spot_no bigint)
    RETURNS TABLE (outcome text, stored_digest text, stored_answer text, margin_minor bigint,
                   ticket ticketing.tickets, payout ticketing.payouts)
    LANGUAGE plpgsql
    SET search_path = ticketing, pg_catalog
AS $$
#variable_conflict use_column
DECLARE
    v_no          text := p_ticket_no::text;
    v_session_ok  boolean;
    v_digest      text;
    v_answer      text;
    v_claimed     boolean;
    v_owner       text;
    t             tickets%ROWTYPE;
    v_price       bigint;
    v_blocked     boolean;
    v_version     int;
    v_rail        text;
    v_fixed       bigint;
    v_bp          int;
    v_min         bigint;
    v_max         bigint;
    v_fee         bigint;
    v_all         boolean;
    v_margin      bigint;
    v_payout      payouts%ROWTYPE;
BEGIN
    -- The session the caller took from its cache must still be what DeviceAuth.authenticate would
    -- accept (V23's check, unchanged). Without a session (the caller authenticated the device itself)
    -- the device must still be a device of the spot: what the foreign keys of scan_records to devices
    -- and parties refused before this migration, the function refuses here (SESSION, nothing written).
    -- A refused call leaves only the record's lock, which ends with the transaction.
    SELECT CASE WHEN p_session_id IS NULL THEN EXISTS (
            SELECT 1 FROM devices d JOIN parties p ON p.party_id = d.spot_id
             WHERE d.device_id = p_device_id AND d.spot_id = p_spot_id AND p.code_no = p_spot_no)
           ELSE EXISTS (
            SELECT 1 FROM device_sessions s JOIN devices d ON d.device_id = s.device_id
                JOIN operators o ON o.operator_id = s.operator_id JOIN parties p ON p.party_id = d.spot_id
             WHERE s.session_id = p_session_id AND s.access_hash = p_access_hash AND s.device_id = p_device_id
               AND s.ended_at IS NULL AND (s.end_reason IS NULL OR s.end_reason NOT LIKE 'REVOKED%')
               AND s.access_expires_at > p_now AND d.state <> 'REVOKED' AND o.state <> 'REVOKED'
               AND d.spot_id = p_spot_id AND p.code_no = p_spot_no
               AND EXISTS (SELECT 1 FROM operator_spots x WHERE x.operator_id = s.operator_id AND x.spot_id = d.spot_id)) END
      INTO v_session_ok
      FROM pg_advisory_xact_lock(hashtextextended('record:' || p_record_id, 0)) l;
    IF NOT v_session_ok THEN
        RETURN QUERY SELECT 'SESSION'::text, NULL::text, NULL::text, NULL::bigint, NULL::tickets, NULL::payouts;
        RETURN;
    END IF;

    -- A new statement, so its snapshot sees what the lock's previous holder committed.
    WITH a AS (SELECT r.digest, r.answer FROM redeem_answers r WHERE r.device_id = p_device_id AND r.record_id = p_record_id),
         n AS (INSERT INTO device_nonces (device_id, nonce, record_id)
               SELECT p_device_id, p_nonce, p_record_id WHERE NOT EXISTS (SELECT 1 FROM a)
               ON CONFLICT DO NOTHING RETURNING 1)
    SELECT a.digest, a.answer, EXISTS (SELECT 1 FROM n) INTO v_digest, v_answer, v_claimed
      FROM (SELECT 1) one LEFT JOIN a ON true;
    IF v_digest IS NOT NULL THEN
        RETURN QUERY SELECT 'STORED'::text, v_digest, v_answer, NULL::bigint, NULL::tickets, NULL::payouts;
        RETURN;
    END IF;
    IF NOT v_claimed THEN
        SELECT n.record_id INTO v_owner FROM device_nonces n WHERE n.device_id = p_device_id AND n.nonce = p_nonce;
        IF v_owner <> p_record_id THEN
            RETURN QUERY SELECT 'NONCE_TAKEN'::text, NULL::text, NULL::text, NULL::bigint, NULL::tickets, NULL::payouts;
            RETURN;
        END IF;
    END IF;

    PERFORM pg_advisory_xact_lock(hashtextextended('ticket:' || v_no, 0));
    SELECT * INTO t FROM tickets x WHERE x.ticket_no = v_no FOR UPDATE;
    -- The stored code is compared through its hash, so that timing tells nothing about it.
    IF NOT FOUND OR t.state = 'REFUNDED' OR t.currency <> p_currency
            OR sha256(convert_to(t.code, 'UTF8')) <> sha256(convert_to(p_code, 'UTF8')) THEN
        RETURN QUERY SELECT 'FALLBACK'::text, NULL::text, NULL::text, NULL::bigint, NULL::tickets, NULL::payouts;
        RETURN;
    END IF;

    -- No row: the ticket is not valid at the spot. The fee rule is FeesImpl.effective's: the spot's own,
    -- else the platform's ('*'), else none (zero fee).
    SELECT ts.scenic_price_minor,
           ts.redeemed_at IS NOT NULL
               OR EXISTS (SELECT 1 FROM revocations r WHERE r.code_ticket_id = p_ticket_no)
               OR EXISTS (SELECT 1 FROM scan_records r WHERE r.code_ticket_id = p_ticket_no AND r.spot_id = p_spot_id)
               OR EXISTS (SELECT 1 FROM combo_products c WHERE c.product_id = t.product_id),
           a.version, a.rail,
           COALESCE(f.fixed_minor, 0), COALESCE(f.basis_points, 0), COALESCE(f.min_minor, 0), f.max_minor,
           NOT EXISTS (SELECT 1 FROM ticket_spots o
                        WHERE o.ticket_id = t.ticket_id AND o.spot_id <> p_spot_id AND o.redeemed_at IS NULL)
      INTO v_price, v_blocked, v_version, v_rail, v_fixed, v_bp, v_min, v_max, v_all
      FROM ticket_spots ts
      LEFT JOIN parties p ON p.party_id = p_spot_id AND p.kind = 'SCENIC_SPOT'
      LEFT JOIN party_accounts a ON a.party_id = p.party_id AND a.version = p.account_version
      LEFT JOIN LATERAL (SELECT fr.fixed_minor, fr.basis_points, fr.min_minor, fr.max_minor FROM fee_rules fr
                          WHERE fr.kind = 'PAYOUT' AND fr.party_id IN (p_spot_id, '*')
                          ORDER BY (fr.party_id = '*') LIMIT 1) f ON true
     WHERE ts.ticket_id = t.ticket_id AND ts.spot_id = p_spot_id;
    IF NOT FOUND OR v_blocked OR v_version IS NULL THEN
        RETURN QUERY SELECT 'FALLBACK'::text, NULL::text, NULL::text, NULL::bigint, NULL::tickets, NULL::payouts;
        RETURN;
    END IF;

    -- FeeRule.feeOn: fixed + round-half-up(gross × bp / 10 000), at least min, at most max; never above gross.
    v_fee := v_fixed + (v_price / 10000) * v_bp + ((v_price % 10000) * v_bp + 5000) / 10000;
    v_fee := GREATEST(v_fee, v_min);
    IF v_max IS NOT NULL THEN
        v_fee := LEAST(v_fee, v_max);
    END IF;
    v_fee := LEAST(v_fee, v_price);

    INSERT INTO scan_records (record_id, device_id, spot_id, code_ticket_id, ticket_id, code, scanned_at, clock_offset_ms,
                              sequence, nonce, signature, digest, via, status, flags, redeemed_at, received_at)
    VALUES (p_record_id, p_device_id, p_spot_id, p_ticket_no, t.ticket_id, p_code, p_scanned_at, p_clock_offset_ms,
            p_sequence, p_nonce, p_signature, p_digest, 'ONLINE', 'REDEEMED', '', p_now, p_now);
    UPDATE ticket_spots s SET redeemed_at = p_scanned_at, redeemed_by = p_device_id, redeemed_record_id = p_record_id
     WHERE s.ticket_id = t.ticket_id AND s.spot_id = p_spot_id AND s.redeemed_at IS NULL
    RETURNING s.margin_minor INTO v_margin;
    IF v_all THEN
        UPDATE tickets x SET state = 'REDEEMED', updated_at = p_now WHERE x.ticket_id = t.ticket_id;
    END IF;
    INSERT INTO payouts (payout_id, kind, ticket_id, order_id, party_id, account_version, rail, gross_minor, fee_minor,
                         net_minor, currency, state, next_attempt_at, created_at, updated_at)
    VALUES (p_payout_id, 'SCENIC_SETTLEMENT', t.ticket_id, t.order_id, p_spot_id, v_version, v_rail,
            v_price, v_fee, v_price - v_fee, t.currency, 'PENDING', p_now, p_now, p_now)
    RETURNING * INTO v_payout;
    -- Both history rows in one statement, in the order the Java path writes them (ids ascending).
    INSERT INTO events (order_id, subject_type, subject_id, from_state, to_state, event, detail, at)
    VALUES (t.order_id, 'TICKET', t.ticket_id, t.state, CASE WHEN v_all THEN 'REDEEMED' ELSE t.state END,
            'ticket.redeemed', p_history_detail, p_now),
           (t.order_id, 'PAYOUT', p_payout_id, NULL, 'PENDING', 'payout.created',
            'SCENIC_SETTLEMENT to ' || p_spot_id || ' on ' || v_rail || ': '
                || round(v_price::numeric / power(10::numeric, p_scale), p_scale)::text || ' − fee '
                || round(v_fee::numeric / power(10::numeric, p_scale), p_scale)::text,
            p_now);
    INSERT INTO redeem_answers (device_id, record_id, digest, outcome, answer, created_at)
    VALUES (p_device_id, p_record_id, p_digest, 'REDEEMED', p_answer, p_now);

    RETURN QUERY SELECT 'REDEEMED'::text, NULL::text, NULL::text, v_margin, t, v_payout;
END;
$$;
