package org.ticketledger.huijinbao.sandbox;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.ticketledger.ledger.Money;
import org.ticketledger.payment.InstructionType;
import org.ticketledger.payment.RequestId;

/**
 * An order the sandbox recorded under a request id: a write that succeeded or was refused.
 *
 * @param type        the operation
 * @param requestId   the client's request id
 * @param succeeded   whether money moved
 * @param amount      the amount moved (for a redeem-all: principal plus yield); zero when refused
 * @param txnId       the sandbox's transaction id when it succeeded
 * @param failureCode the refusal code when it was refused
 * @param at          business time of the order
 */
public record SandboxOrder(InstructionType type, RequestId requestId, boolean succeeded, Money amount,
                           Optional<String> txnId, Optional<String> failureCode, Instant at) {

    public SandboxOrder {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(txnId, "txnId");
        Objects.requireNonNull(failureCode, "failureCode");
        Objects.requireNonNull(at, "at");
    }
}
