package org.ticketledger.payment;

import java.util.Objects;
import org.ticketledger.ledger.Money;

/**
 * An instruction that moves money between a party and the platform's settlement account at a rail.
 *
 * @param type      {@link InstructionType#COLLECT} or {@link InstructionType#PAYOUT}
 * @param requestId our idempotency key at the rail
 * @param party     the payer of a collection or the payee of a payout
 * @param amount    a positive amount
 * @param title     a short description shown to the parties (order title), 1-128 characters
 */
public record Instruction(InstructionType type, RequestId requestId, PartyAccount party, Money amount, String title) {

    public Instruction {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(party, "party");
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(title, "title");
        if (type != InstructionType.COLLECT && type != InstructionType.PAYOUT) {
            throw new IllegalArgumentException("an Instruction is a COLLECT or a PAYOUT, not " + type);
        }
        if (!amount.isPositive()) {
            throw new IllegalArgumentException("instruction amount must be positive, was " + amount);
        }
        if (title.isBlank() || title.length() > 128) {
            throw new IllegalArgumentException("title must have 1-128 characters");
        }
    }

    public static Instruction collect(RequestId requestId, PartyAccount payer, Money amount, String title) {
        return new Instruction(InstructionType.COLLECT, requestId, payer, amount, title);
    }

    public static Instruction payout(RequestId requestId, PartyAccount payee, Money amount, String title) {
        return new Instruction(InstructionType.PAYOUT, requestId, payee, amount, title);
    }
}
