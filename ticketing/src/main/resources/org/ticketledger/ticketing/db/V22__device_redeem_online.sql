-- The common online redemption in one round trip (DeviceRedemptions.redeem): an issued single ticket
-- presented with the code we stored for it, its first scan at the device's spot. Everything else
-- (refunded, revoked, already redeemed, combos, several uses, codes that need their signature
-- verified) answers FALLBACK, and the caller then judges the record in Java as before. Takes the same advisory locks, in the same order, and writes the same rows as the Java
-- path: nonce, scan record, the spot's redemption, the ticket's state, history, the payout with its
-- history, and the stored answer.
--
-- Outcomes: STORED (an answer is stored for the record: stored_digest and stored_answer; the
-- caller compares the digest), NONCE_TAKEN (another record of the device used the nonce: nothing
-- written), FALLBACK (nothing written but the record's claim on its nonce, which the Java path
-- makes again and finds its own), REDEEMED (ticket, margin_minor and payout are set).
CREATE FUNCTION device_redeem_online(p_device_id text, p_record_id text, p_digest text, p_nonce text,
                                     p_ticket_no bigint, p_spot_id text, p_code text, p_scanned_at timestamptz,
                                     p_clock_offset_ms bigint, p_sequence bigint, p_signature bytea,
                                     p_now timestamptz, p_answer text, p_payout_id text, p_history_detail text,
                                     p_currency text, p_scale int)
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
    INSERT INTO events (order_id, subject_type, subject_id, from_state, to_state, event, detail, at)
    VALUES (t.order_id, 'TICKET', t.ticket_id, t.state, CASE WHEN v_all THEN 'REDEEMED' ELSE t.state END,
            'ticket.redeemed', p_history_detail, p_now);

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
    INSERT INTO events (order_id, subject_type, subject_id, from_state, to_state, event, detail, at)
    VALUES (t.order_id, 'PAYOUT', p_payout_id, NULL, 'PENDING', 'payout.created',
            'SCENIC_SETTLEMENT to ' || p_spot_id || ' on ' || acct.rail || ': '
                || round(ts.scenic_price_minor::numeric / power(10::numeric, p_scale), p_scale)::text || ' − fee '
                || round(v_fee::numeric / power(10::numeric, p_scale), p_scale)::text,
            p_now);

    INSERT INTO redeem_answers (device_id, record_id, digest, outcome, answer, created_at)
    VALUES (p_device_id, p_record_id, p_digest, 'REDEEMED', p_answer, p_now);

    RETURN QUERY SELECT 'REDEEMED'::text, NULL::text, NULL::text, v_margin, t, v_payout;
END;
$$;
