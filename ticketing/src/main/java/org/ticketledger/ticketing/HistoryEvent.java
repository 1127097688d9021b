package org.ticketledger.ticketing;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One recorded step of an order, ticket or payout: a state transition or a notable fact (a rail
 * call sent, an outcome received).
 *
 * @param id          increasing id (the order of recording)
 * @param orderId     the order the subject belongs to (a plan's own events: the plan id; a profit
 *                    share payout's: the run id)
 * @param subjectType {@code ORDER}, {@code TICKET}, {@code PAYOUT}, {@code INVEST}, {@code WITHDRAW}
 *                    or {@code PLAN}
 * @param subjectId   the subject's id
 * @param fromState   the state before, if the event is a transition
 * @param toState     the state after (equal to the current one for facts)
 * @param event       a short event name, e.g. {@code charge.sent}
 * @param detail      what happened, for people (never a secret)
 * @param at          when it was recorded
 */
public record HistoryEvent(long id, String orderId, String subjectType, String subjectId, Optional<String> fromState,
                           String toState, String event, String detail, Instant at) {

    public HistoryEvent {
        Objects.requireNonNull(orderId, "orderId");
        Objects.requireNonNull(subjectType, "subjectType");
        Objects.requireNonNull(subjectId, "subjectId");
        Objects.requireNonNull(fromState, "fromState");
        Objects.requireNonNull(toState, "toState");
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(at, "at");
    }
}
