package org.ticketledger.ledger;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link Journal#verify} found when it recomputed a ledger's hash chain and balances from
 * the stored entries.
 *
 * @param ledger         the ledger
 * @param entriesChecked how many entries were read
 * @param lastSequence   the last sequence read
 * @param problems       everything found wrong, in sequence order; empty when sound
 */
public record VerificationReport(LedgerId ledger, long entriesChecked, long lastSequence, List<Problem> problems) {

    public VerificationReport {
        Objects.requireNonNull(ledger, "ledger");
        problems = List.copyOf(problems);
    }

    /** Whether nothing was found wrong. */
    public boolean ok() {
        return problems.isEmpty();
    }

    /** The first problem by sequence, if any. */
    public Optional<Problem> firstProblem() {
        return problems.stream().findFirst();
    }

    /** Kinds of damage. */
    public enum ProblemKind {
        /** A sequence number is missing (an entry was deleted). */
        SEQUENCE_GAP,
        /** An entry's previous hash is not the hash of the entry before it. */
        CHAIN_BROKEN,
        /** An entry's stored hash is not the hash of its content. */
        HASH_MISMATCH,
        /** An entry's debits do not equal its credits, or it has fewer than two postings. */
        UNBALANCED,
        /** An entry references a missing or unsuitable entry. */
        BAD_REFERENCE,
        /** Replaying the journal leaves an account outside its balance policy. */
        POLICY_VIOLATED,
        /** The stored balance of an account differs from the one rebuilt from the journal. */
        BALANCE_MISMATCH,
        /** The ledger's head (last sequence and hash) does not match its last entry. */
        HEAD_MISMATCH
    }

    /**
     * One finding.
     *
     * @param sequence the entry concerned (0 when it concerns a balance or the head)
     * @param kind     what is wrong
     * @param detail   a human-readable explanation
     */
    public record Problem(long sequence, ProblemKind kind, String detail) {
        public Problem {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(detail, "detail");
        }
    }
}
