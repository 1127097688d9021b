package org.ticketledger.ticketing.reconcile;

import java.util.Objects;
import java.util.OptionalLong;
import org.ticketledger.ledger.Money;

/**
 * Something in flight that explains (part of) a difference between the ledger and a rail: an
 * instruction the rail may have carried out that the ledger has not posted yet, with the ledger
 * entry holding its funds when there is one.
 *
 * @param kind          {@code PAYOUT}, {@code INVEST}, {@code WITHDRAW} or {@code PLAN_CLOSE}
 * @param subjectId     the payout, instruction or plan
 * @param state         its state
 * @param entrySequence the ledger hold entry, if any
 * @param railEffect    what the rail balance (or position) shows extra if the rail carried it out:
 *                      negative for money leaving the account
 * @param detail        for people
 */
public record Explanation(String kind, String subjectId, String state, OptionalLong entrySequence, Money railEffect,
                          String detail) {

    public Explanation {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(subjectId, "subjectId");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(entrySequence, "entrySequence");
        Objects.requireNonNull(railEffect, "railEffect");
        Objects.requireNonNull(detail, "detail");
    }
}
