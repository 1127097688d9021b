package org.ticketledger.ticketing.wealth;

import java.util.List;
import java.util.Objects;

/**
 * What a bulk retry of the invests waiting for funds did.
 *
 * @param retried      how many instructions were retried (their first attempt ran)
 * @param needApproval the instructions left waiting because their amount is above the caller's
 *                     approval limit: a second person has to approve each one
 */
public record BulkRetry(int retried, List<String> needApproval) {

    public BulkRetry {
        if (retried < 0) {
            throw new IllegalArgumentException("retried must not be negative");
        }
        needApproval = List.copyOf(Objects.requireNonNull(needApproval, "needApproval"));
    }
}
