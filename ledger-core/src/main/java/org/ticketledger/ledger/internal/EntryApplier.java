package org.ticketledger.ledger.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.ticketledger.ledger.Account;
import org.ticketledger.ledger.AccountCode;
import org.ticketledger.ledger.CanonicalForm;
import org.ticketledger.ledger.Entry;
import org.ticketledger.ledger.EntryKind;
import org.ticketledger.ledger.EntryRequest;
import org.ticketledger.ledger.Hash;
import org.ticketledger.ledger.LedgerException;
import org.ticketledger.ledger.Money;
import org.ticketledger.ledger.PostResult;
import org.ticketledger.ledger.Posting;
import org.ticketledger.ledger.RejectionReason;
import org.ticketledger.ledger.Side;

/**
 * The one place where a request is judged against a ledger's state and turned into an entry.
 * Both journals use it, so they cannot drift apart in what they accept. Not thread-safe (it owns
 * a {@link CanonicalForm}); callers hold the ledger's lock.
 */
public final class EntryApplier {

    private static final int DP = 0;
    private static final int CP = 1;
    private static final int DPEND = 2;
    private static final int CPEND = 3;

    private final CanonicalForm canonical = new CanonicalForm();
    /** Reused across calls: this runs once per entry, so avoiding the allocation matters. */
    private final Deltas deltas = new Deltas();

    /** Judges {@code request} against {@code state} at {@code now}; appends to the state when accepted. */
    public PostResult apply(EntryRequest request, LedgerState state, Instant now) {
        LedgerState.KeyMatch match = state.byKey(request);
        if (match != null) {
            return match.sameContent()
                    ? new PostResult.Duplicate(match.original())
                    : new PostResult.Rejected(RejectionReason.IDEMPOTENCY_CONFLICT, "idempotency key \""
                    + request.idempotencyKey() + "\" was used for entry " + match.original().sequence()
                    + " with different content");
        }
        Optional<java.util.Currency> currency = request.currency();
        if (currency.isPresent() && !currency.get().equals(state.ledger().currency())) {
            return reject(RejectionReason.CURRENCY_MISMATCH, "postings are in " + currency.get().getCurrencyCode()
                    + " but ledger " + state.ledger().id() + " is in " + state.ledger().currency().getCurrencyCode());
        }
        EntryKind kind = request.kind();
        Entry ref = null;
        if (kind.needsReference()) {
            long refSeq = request.reference().getAsLong();
            ref = refSeq <= state.lastSequence() ? state.entry(refSeq) : null;
            if (ref == null) {
                return reject(RejectionReason.UNKNOWN_REFERENCE, "no entry " + refSeq + " in ledger " + state.ledger().id());
            }
        }
        Deltas deltas = this.deltas;
        deltas.clear();
        List<Posting> postings;
        switch (kind) {
            case STANDARD:
                postings = request.postings();
                deltas.addPosted(postings, 1);
                break;
            case HOLD:
                postings = request.postings();
                deltas.addPending(postings, 1);
                break;
            case REVERSAL: {
                if (ref.kind() != EntryKind.STANDARD && ref.kind() != EntryKind.HOLD_POST) {
                    return reject(RejectionReason.NOT_REVERSIBLE, "entry " + ref.sequence() + " is a " + ref.kind()
                            + "; only STANDARD and HOLD_POST entries can be reversed");
                }
                if (state.reversed(ref.sequence())) {
                    return reject(RejectionReason.ALREADY_REVERSED, "entry " + ref.sequence() + " was reversed already");
                }
                List<Posting> reversed = new ArrayList<>(ref.postings().size());
                for (Posting p : ref.postings()) {
                    reversed.add(p.reversed());
                }
                postings = List.copyOf(reversed);
                deltas.addPosted(postings, 1);
                break;
            }
            case HOLD_POST:
            case HOLD_VOID:
            case HOLD_EXPIRE: {
                PostResult.Rejected problem = checkHold(ref, kind, state, now);
                if (problem != null) {
                    return problem;
                }
                if (kind == EntryKind.HOLD_POST) {
                    postings = request.postings();
                    problem = checkWithinHold(postings, ref);
                    if (problem != null) {
                        return problem;
                    }
                    deltas.addPosted(postings, 1);
                } else {
                    postings = ref.postings();
                }
                deltas.addPending(ref.postings(), -1);
                break;
            }
            default:
                throw new LedgerException("unhandled entry kind " + kind);
        }

        int n = deltas.size;
        long[][] totals = new long[n][];
        for (int i = 0; i < n; i++) {
            AccountCode code = deltas.codes[i];
            Account account = state.account(code);
            if (account == null) {
                return reject(RejectionReason.UNKNOWN_ACCOUNT, "account " + code + " is not open in ledger " + state.ledger().id());
            }
            long[] current = state.balance(code);
            long[] d = deltas.values[i];
            long[] next = new long[4];
            try {
                for (int k = 0; k < 4; k++) {
                    next[k] = Math.addExact(current[k], d[k]);
                }
            } catch (ArithmeticException e) {
                return reject(RejectionReason.BALANCE_OVERFLOW, "account " + code + " would overflow");
            }
            if (next[DPEND] < 0 || next[CPEND] < 0) {
                throw new LedgerException("pending total of " + code + " would turn negative: the journal state is corrupt");
            }
            if (!account.policy().allows(next[DP], next[CP], next[DPEND], next[CPEND])) {
                return reject(RejectionReason.INSUFFICIENT_BALANCE, insufficient(account, state.ledger().currency(), current, d));
            }
            totals[i] = next;
        }

        long sequence = state.lastSequence() + 1;
        Instant last = state.lastRecordedAt();
        // Journal time never runs backwards along the sequence, so as-of-instant queries are monotone.
        // An equal time shares the previous entry's instance: one object fewer kept per entry.
        Instant recordedAt = last != null && !now.isAfter(last) ? last : now;
        Instant effectiveAt = request.effectiveAt().orElse(recordedAt);
        long reference = request.reference().orElse(0);
        Hash hash = canonical.hash(state.lastHash(), state.ledger().id(), sequence, kind, request.idempotencyKey(),
                request.type(), postings, reference, effectiveAt, recordedAt, request.holdExpiresAt(), request.metadata());
        Entry entry = new Entry(state.ledger().id(), sequence, kind, request.idempotencyKey(), request.type(), postings,
                reference == 0 ? OptionalLong.empty() : OptionalLong.of(reference), effectiveAt, recordedAt,
                request.holdExpiresAt(), request.metadata(), state.lastHash(), hash);
        AccountCode[] codes = java.util.Arrays.copyOf(deltas.codes, n);
        state.append(entry, request, codes, totals);
        return new PostResult.Posted(entry);
    }

    private static PostResult.Rejected checkHold(Entry ref, EntryKind kind, LedgerState state, Instant now) {
        if (ref.kind() != EntryKind.HOLD) {
            return reject(RejectionReason.NOT_A_HOLD, "entry " + ref.sequence() + " is a " + ref.kind() + ", not a HOLD");
        }
        EntryKind resolution = state.holdResolution(ref.sequence());
        if (resolution != null) {
            return reject(RejectionReason.HOLD_NOT_PENDING, "hold " + ref.sequence() + " was resolved already by a " + resolution);
        }
        boolean expired = ref.holdExpiresAt().isPresent() && !now.isBefore(ref.holdExpiresAt().get());
        if (kind == EntryKind.HOLD_POST && expired) {
            return reject(RejectionReason.HOLD_EXPIRED, "hold " + ref.sequence() + " expired at " + ref.holdExpiresAt().get());
        }
        if (kind == EntryKind.HOLD_EXPIRE && !expired) {
            return reject(RejectionReason.HOLD_NOT_EXPIRED, "hold " + ref.sequence() + " has not expired");
        }
        return null;
    }

    private static PostResult.Rejected checkWithinHold(List<Posting> postings, Entry hold) {
        Deltas held = new Deltas();
        held.addPosted(hold.postings(), 1);
        Deltas asked = new Deltas();
        asked.addPosted(postings, 1);
        for (int i = 0; i < asked.size; i++) {
            long[] heldValues = held.find(asked.codes[i]);
            long[] a = asked.values[i];
            if (heldValues == null || a[DP] > heldValues[DP] || a[CP] > heldValues[CP]) {
                return reject(RejectionReason.HOLD_AMOUNT_EXCEEDED, "posting on " + asked.codes[i]
                        + " exceeds what hold " + hold.sequence() + " reserved for it");
            }
        }
        return null;
    }

    private static String insufficient(Account account, java.util.Currency currency, long[] current, long[] delta) {
        String detail = "account " + account.code() + " (" + account.policy() + ")";
        long posted;
        long reserved;
        long needed;
        if (account.policy() == org.ticketledger.ledger.BalancePolicy.CREDITS_MUST_NOT_EXCEED_DEBITS) {
            posted = current[DP] - current[CP];
            reserved = current[CPEND];
            needed = delta[CP] + delta[CPEND] - delta[DP];
        } else {
            posted = current[CP] - current[DP];
            reserved = current[DPEND];
            needed = delta[DP] + delta[DPEND] - delta[CP];
        }
        return detail + ": available " + Money.of(posted - reserved, currency).toDecimalString()
                + ", entry needs " + Money.of(needed, currency).toDecimalString();
    }

    private static PostResult.Rejected reject(RejectionReason reason, String detail) {
        return new PostResult.Rejected(reason, detail);
    }

    /** Per-account deltas in first-touch order; a handful of accounts, so linear search wins. */
    private static final class Deltas {
        AccountCode[] codes = new AccountCode[4];
        long[][] values = new long[4][];
        int size;

        void addPosted(List<Posting> postings, int sign) {
            for (int i = 0, n = postings.size(); i < n; i++) {
                Posting p = postings.get(i);
                slot(p.account())[p.side() == Side.DEBIT ? DP : CP] += sign * p.amount().minor();
            }
        }

        void addPending(List<Posting> postings, int sign) {
            for (int i = 0, n = postings.size(); i < n; i++) {
                Posting p = postings.get(i);
                slot(p.account())[p.side() == Side.DEBIT ? DPEND : CPEND] += sign * p.amount().minor();
            }
        }

        /** Keeps the value arrays for the next entry (zeroed when reused): this runs once per entry. */
        void clear() {
            for (int i = 0; i < size; i++) {
                codes[i] = null;
            }
            size = 0;
        }

        long[] find(AccountCode code) {
            for (int i = 0; i < size; i++) {
                if (codes[i].equals(code)) {
                    return values[i];
                }
            }
            return null;
        }

        private long[] slot(AccountCode code) {
            long[] v = find(code);
            if (v != null) {
                return v;
            }
            if (size == codes.length) {
                codes = java.util.Arrays.copyOf(codes, size * 2);
                values = java.util.Arrays.copyOf(values, size * 2);
            }
            codes[size] = code;
            v = values[size];
            if (v == null) {
                v = new long[4];
                values[size] = v;
            } else {
                java.util.Arrays.fill(v, 0L);
            }
            size++;
            return v;
        }
    }
}
