package org.ticketledger.ticketing.device;

import java.util.Objects;

/** What became of an online redeem request. */
public sealed interface OnlineRedeemResult {

    /**
     * A business answer (HTTP 200); {@code replayed} when it is the stored answer to an earlier
     * request with the same Idempotency-Key and body.
     */
    record Answered(RedeemAnswer answer, boolean replayed) implements OnlineRedeemResult {
        public Answered {
            Objects.requireNonNull(answer, "answer");
        }
    }

    /**
     * Not judged: {@link DeviceError#BAD_RECORD} (another device's or spot's record, a bad device
     * signature, a replayed nonce, the Idempotency-Key not the record id) or
     * {@link DeviceError#IDEMPOTENCY_CONFLICT}. Nothing written.
     */
    record Rejected(DeviceError error, String detail) implements OnlineRedeemResult {
        public Rejected {
            Objects.requireNonNull(error, "error");
            Objects.requireNonNull(detail, "detail");
        }
    }
}
