-- device_redeem_online (V22) with two changes, so that an online redemption is one statement:
--  * the device's session is checked inside the call (p_session_id, p_access_hash, p_spot_no) when the
--    caller took it from its cache instead of reading it first; SESSION (nothing written) sends the
--    caller back to DeviceAuth.authenticate for the answer it gives. A NULL p_session_id skips the check
--    (the caller has just read the session).
--  * the two history rows (ticket.redeemed, payout.created) are one INSERT.
-- Outcomes as V22's, plus SESSION. The V22 function stays for app instances still running the
-- previous build during a rolling deploy; nothing calls it otherwise.
CREATE FUNCTION device_redeem_online(p_device_id text, p_record_id text, p_digest text, p_nonce text,
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
    v_digest      text;
    v_answer      text;
    v_owner       text;
    t             tickets%ROWTYPE;
    ts            ticket_spots%ROWTYPE;
    v_version     int;
    acct          party_accounts%ROWTYPE;
    v_fixed       bigint := 0;
    v_bp          int := 0;
    v_min         bigint := 0;
    v_max         bigint;
    v_fee         bigint;
    v_margin      bigint;
    v_all         boolean;
    v_payout      payouts%ROWTYPE;
BEGIN
    -- The session the caller took from its cache must still be what DeviceAuth.authenticate would
    -- accept: the token current, not ended or revoked, not expired, device and operator active, the
    -- operator allowed at the device's spot, and the device still at the spot (by id and number).
    IF p_session_id IS NOT NULL AND NOT EXISTS (
            SELECT 1 FROM device_sessions s JOIN devices d ON d.device_id = s.device_id
                JOIN operators o ON o.operator_id = s.operator_id JOIN parties p ON p.party_id = d.spot_id
             WHERE s.session_id = p_session_id AND s.access_hash = p_access_hash AND s.device_id = p_device_id
               AND s.ended_at IS NULL AND (s.end_reason IS NULL OR s.end_reason NOT LIKE 'REVOKED%')
               AND s.access_expires_at > p_now AND d.state <> 'REVOKED' AND o.state <> 'REVOKED'
               AND d.spot_id = p_spot_id AND p.code_no = p_spot_no
               AND EXISTS (SELECT 1 FROM operator_spots x WHERE x.operator_id = s.operator_id AND x.spot_id = d.spot_id)) THEN
        RETURN QUERY SELECT 'SESSION'::text, NULL::text, NULL::text, NULL::bigint, NULL::tickets, NULL::payouts;
        RETURN;
    END IF;

    PERFORM pg_advisory_xact_lock(hashtextextended('record:' || p_record_id, 0));
    SELECT a.digest, a.answer INTO v_digest, v_answer FROM redeem_answers a
     WHERE a.device_id = p_device_id AND a.record_id = p_record_id;
    IF FOUND THEN
        RETURN QUERY SELECT 'STORED'::text, v_digest, v_answer, NULL::bigint, NULL::tickets, NULL::payouts;
        RETURN;
    END IF;

    -- The nonce before the ticket, as the Java path does: the same lock order, so no deadlock between them.
    INSERT INTO device_nonces (device_id, nonce, record_id) VALUES (p_device_id, p_nonce, p_record_id)
        ON CONFLICT DO NOTHING;
    IF NOT FOUND THEN
        SELECT n.record_id INTO v_owner FROM device_nonces n WHERE n.device_id = p_device_id AND n.nonce = p_nonce;
        IF v_owner <> p_record_id THEN
            RETURN QUERY SELECT 'NONCE_TAKEN'::text, NULL::text, NULL::text, NULL::bigint, NULL::tickets, NULL::payouts;
            RETURN;
        END IF;
    END IF;

    PERFORM pg_advisory_xact_lock(hashtextextended('ticket:' || v_no, 0));
    SELECT * INTO t FROM tickets x WHERE x.ticket_id = v_no OR x.ticket_no = v_no FOR UPDATE;
    -- The stored code is compared through its hash, so that timing tells nothing about it.
    IF NOT FOUND OR t.ticket_no <> v_no OR t.state = 'REFUNDED' OR t.currency <> p_currency
            OR sha256(convert_to(t.code, 'UTF8')) <> sha256(convert_to(p_code, 'UTF8')) THEN
        RETURN QUERY SELECT 'FALLBACK'::text, NULL::text, NULL::text, NULL::bigint, NULL::tickets, NULL::payouts;
        RETURN;
    END IF;
    SELECT * INTO ts FROM ticket_spots s WHERE s.ticket_id = t.ticket_id AND s.spot_id = p_spot_id;
    IF NOT FOUND OR ts.redeemed_at IS NOT NULL
            OR EXISTS (SELECT 1 FROM revocations r WHERE r.code_ticket_id = p_ticket_no)
            OR EXISTS (SELECT 1 FROM scan_records r WHERE r.code_ticket_id = p_ticket_no AND r.spot_id = p_spot_id)
            OR EXISTS (SELECT 1 FROM combo_products c WHERE c.product_id = t.product_id) THEN
        RETURN QUERY SELECT 'FALLBACK'::text, NULL::text, NULL::text, NULL::bigint, NULL::tickets, NULL::payouts;
        RETURN;
    END IF;
    SELECT p.account_version INTO v_version FROM parties p WHERE p.party_id = p_spot_id AND p.kind = 'SCENIC_SPOT';
    IF FOUND THEN
        SELECT * INTO acct FROM party_accounts a WHERE a.party_id = p_spot_id AND a.version = v_version;
    END IF;
    IF acct.party_id IS NULL THEN
        RETURN QUERY SELECT 'FALLBACK'::text, NULL::text, NULL::text, NULL::bigint, NULL::tickets, NULL::payouts;
        RETURN;
    END IF;

    INSERT INTO scan_records (record_id, device_id, spot_id, code_ticket_id, ticket_id, code, scanned_at, clock_offset_ms,
                              sequence, nonce, signature, digest, via, status, flags, redeemed_at, received_at)
    VALUES (p_record_id, p_device_id, p_spot_id, p_ticket_no, t.ticket_id, p_code, p_scanned_at, p_clock_offset_ms,
            p_sequence, p_nonce, p_signature, p_digest, 'ONLINE', 'REDEEMED', '', p_now, p_now);

    UPDATE ticket_spots s SET redeemed_at = p_scanned_at, redeemed_by = p_device_id, redeemed_record_id = p_record_id
     WHERE s.ticket_id = t.ticket_id AND s.spot_id = p_spot_id AND s.redeemed_at IS NULL
    RETURNING s.margin_minor INTO v_margin;
    v_all := NOT EXISTS (SELECT 1 FROM ticket_spots s
                          WHERE s.ticket_id = t.ticket_id AND s.spot_id <> p_spot_id AND s.redeemed_at IS NULL);
    IF v_all THEN
        UPDATE tickets x SET state = 'REDEEMED', updated_at = p_now WHERE x.ticket_id = t.ticket_id;
    END IF;
    -- FeeRule.feeOn: fixed + round-half-up(gross × bp / 10 000), at least min, at most max; never above gross.
    SELECT f.fixed_minor, f.basis_points, f.min_minor, f.max_minor INTO v_fixed, v_bp, v_min, v_max
      FROM fee_rules f WHERE f.kind = 'PAYOUT' AND f.party_id IN (p_spot_id, '*') ORDER BY (f.party_id = '*') LIMIT 1;
    IF NOT FOUND THEN
        v_fixed := 0; v_bp := 0; v_min := 0; v_max := NULL;
    END IF;
    v_fee := v_fixed + (ts.scenic_price_minor / 10000) * v_bp + ((ts.scenic_price_minor % 10000) * v_bp + 5000) / 10000;
    v_fee := GREATEST(v_fee, v_min);
    IF v_max IS NOT NULL THEN
        v_fee := LEAST(v_fee, v_max);
    END IF;
    v_fee := LEAST(v_fee, ts.scenic_price_minor);

    INSERT INTO payouts (payout_id, kind, ticket_id, order_id, party_id, account_version, rail, gross_minor, fee_minor,
                         net_minor, currency, state, next_attempt_at, created_at, updated_at)
    VALUES (p_payout_id, 'SCENIC_SETTLEMENT', t.ticket_id, t.order_id, p_spot_id, acct.version, acct.rail,
            ts.scenic_price_minor, v_fee, ts.scenic_price_minor - v_fee, t.currency, 'PENDING', p_now, p_now, p_now)
    RETURNING * INTO v_payout;
    -- Both history rows in one statement, in the order the Java path writes them (ids ascending).
    INSERT INTO events (order_id, subject_type, subject_id, from_state, to_state, event, detail, at)
    VALUES (t.order_id, 'TICKET', t.ticket_id, t.state, CASE WHEN v_all THEN 'REDEEMED' ELSE t.state END,
            'ticket.redeemed', p_history_detail, p_now),
           (t.order_id, 'PAYOUT', p_payout_id, NULL, 'PENDING', 'payout.created',
            'SCENIC_SETTLEMENT to ' || p_spot_id || ' on ' || acct.rail || ': '
                || round(ts.scenic_price_minor::numeric / power(10::numeric, p_scale), p_scale)::text || ' − fee '
                || round(v_fee::numeric / power(10::numeric, p_scale), p_scale)::text,
            p_now);

    INSERT INTO redeem_answers (device_id, record_id, digest, outcome, answer, created_at)
    VALUES (p_device_id, p_record_id, p_digest, 'REDEEMED', p_answer, p_now);

    RETURN QUERY SELECT 'REDEEMED'::text, NULL::text, NULL::text, v_margin, t, v_payout;
END;
$$;
