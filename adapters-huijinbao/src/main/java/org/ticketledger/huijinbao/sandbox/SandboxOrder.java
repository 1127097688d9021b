package org.ticketledger.huijinbao.sandbox;

import java.time.Instant;
import java.util.Objects;
import org.ticketledger.ledger.Money;
import org.ticketledger.payment.InstructionType;
import org.ticketledger.payment.RequestId;

/**
 * An order the sandbox recorded under a request id: a write that moved money. (Refused writes
 * bind nothing and are not recorded.)
 *
 * @param type      the operation
 * @param requestId the client's request id
 * @param amount    the amount moved (for a redeem-all: principal plus yield)
 * @param txnId     the sandbox's transaction id
 * @param at        business time of the order
 */
public record SandboxOrder(InstructionType type, RequestId requestId, Money amount, String txnId, Instant at) {

    public SandboxOrder {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(txnId, "txnId");
        Objects.requireNonNull(at, "at");
    }
}
