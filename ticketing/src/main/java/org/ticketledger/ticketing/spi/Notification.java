package org.ticketledger.ticketing.spi;

import java.util.Map;
import java.util.Objects;

/**
 * A message to a person (an SMS today).
 *
 * @param id        a business-derived id, the same across retries: pass it to the provider as its
 *                  deduplication key where it has one, so a retry after a crash is not sent twice
 * @param recipient the phone number
 * @param template  the template name, e.g. {@code TOPUP_REQUIRED}
 * @param body      the rendered text
 * @param params    the template parameters
 */
public record Notification(String id, String recipient, String template, String body, Map<String, String> params) {

    public Notification {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(template, "template");
        Objects.requireNonNull(body, "body");
        params = Map.copyOf(params);
    }
}
