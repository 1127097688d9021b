package org.ticketledger.example.webhook;

import org.ticketledger.example.auth.RequestSigning;

/**
 * How deliveries are signed, for receivers to check: {@code X-TL-Webhook-Signature} is the
 * lowercase hex HMAC-SHA256, under the endpoint's secret, of {@code timestamp + "." + body}, where
 * the timestamp is {@code X-TL-Webhook-Timestamp} (Unix seconds). Receivers should refuse old
 * timestamps and deduplicate by {@code X-TL-Event-Id}. Thread-safe (stateless).
 */
public final class WebhookSigning {

    /** The event id header (also {@code id} in the body); the same on every retry. */
    public static final String EVENT_ID = "X-TL-Event-Id";
    /** The event type header. */
    public static final String EVENT_TYPE = "X-TL-Event-Type";
    /** The delivery time header, Unix seconds. */
    public static final String TIMESTAMP = "X-TL-Webhook-Timestamp";
    /** The signature header. */
    public static final String SIGNATURE = "X-TL-Webhook-Signature";

    private WebhookSigning() {
    }

    /** The signature of {@code body} sent at {@code timestamp}. */
    public static String sign(String secret, long timestamp, String body) {
        return RequestSigning.sign(secret, timestamp + "." + body);
    }
}
