package org.ticketledger.alipay.sandbox;

import java.net.URI;
import java.util.Objects;

/**
 * The state of one asynchronous notify the sandbox sends.
 *
 * @param notifyId     the notify's {@code notify_id}, the same on every attempt
 * @param url          where it is posted
 * @param outTradeNo   the trade it reports
 * @param attempts     how many times it was posted so far
 * @param acknowledged whether a reply of exactly {@code success} came back
 */
public record NotifyDelivery(String notifyId, URI url, String outTradeNo, int attempts, boolean acknowledged) {
    public NotifyDelivery {
        Objects.requireNonNull(notifyId, "notifyId");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(outTradeNo, "outTradeNo");
    }
}
