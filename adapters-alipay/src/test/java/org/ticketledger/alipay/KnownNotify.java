package org.ticketledger.alipay;

import java.util.LinkedHashMap;
import java.util.Map;

/** The notify of the known-answer vectors, as decoded parameters. */
final class KnownNotify {

    private KnownNotify() {
    }

    static Map<String, String> params() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("notify_time", "2026-11-26 10:00:02");
        p.put("notify_type", "trade_status_sync");
        p.put("notify_id", "2026112600222100001000000000001");
        p.put("app_id", "2021000000000001");
        p.put("charset", "");
        p.put("version", "1.0");
        p.put("sign_type", "RSA2");
        p.put("sign", Kat.text("notify.sign.b64"));
        p.put("trade_no", "2026112622001400000000000001");
        p.put("out_trade_no", "ORD-20261126-0001");
        p.put("buyer_id", "2088000000000002");
        p.put("trade_status", "TRADE_SUCCESS");
        p.put("total_amount", "101.00");
        p.put("subject", "门票 Ticket");
        p.put("gmt_payment", "2026-11-26 10:00:01");
        p.put("fund_bill_list", "[{\"amount\":\"101.00\",\"fundChannel\":\"ALIPAYACCOUNT\"}]");
        return p;
    }
}
