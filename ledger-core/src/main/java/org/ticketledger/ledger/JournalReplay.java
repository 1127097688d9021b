package org.ticketledger.ledger;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.ticketledger.ledger.VerificationReport.Problem;
import org.ticketledger.ledger.VerificationReport.ProblemKind;

/**
 * Rebuilds a ledger's balances from its entries alone and checks everything an auditor checks on
 * the way: gapless sequence, hash chain, each entry's own hash, balanced postings, references
 * (reversals, hold resolutions) and balance policies after every entry.
 *
 * <p>Feed the entries in sequence order with {@link #accept}. Both journals' {@code verify} and
 * the auditor CLI use this class, so they agree by construction. Not thread-safe.
 */
public final class JournalReplay {

    private static final int MAX_PROBLEMS = 1000;

    private final Ledger ledger;
    private final boolean checkHashes;
    private final Map<AccountCode, Account> accounts = new HashMap<>();
    private final Map<AccountCode, long[]> totals = new HashMap<>();
    private final Map<Long, Entry> openHolds = new HashMap<>();
    private final CanonicalForm canonical = new CanonicalForm();
    private final List<Problem> problems = new ArrayList<>();
    /** Kind code per sequence (index = sequence), so references resolve without keeping entries. */
    private byte[] kinds = new byte[1024];
    private byte[] reversedFlags = new byte[1024];
    private long lastSequence;
    private Hash lastHash = Hash.GENESIS;
    private long entries;
    private long problemCount;

    /**
     * @param ledger      the ledger being replayed
     * @param accounts    its accounts (types and policies)
     * @param checkHashes whether to recompute each entry's hash (off only for as-of balance queries)
     */
    public JournalReplay(Ledger ledger, Collection<Account> accounts, boolean checkHashes) {
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.checkHashes = checkHashes;
        for (Account a : accounts) {
            this.accounts.put(a.code(), a);
            this.totals.put(a.code(), new long[4]);
        }
    }

    /** Applies the next entry and records anything wrong with it. */
    public void accept(Entry e) {
        entries++;
        long seq = e.sequence();
        if (seq != lastSequence + 1) {
            if (seq > lastSequence + 1) {
                problem(seq, ProblemKind.SEQUENCE_GAP, seq - lastSequence - 1 == 1
                        ? "entry " + (lastSequence + 1) + " is missing"
                        : "entries " + (lastSequence + 1) + " to " + (seq - 1) + " are missing");
            } else {
                problem(seq, ProblemKind.SEQUENCE_GAP, "entry " + seq + " appears again after " + lastSequence);
                return;
            }
        }
        if (!e.previousHash().equals(lastHash)) {
            problem(seq, ProblemKind.CHAIN_BROKEN, "previous hash " + e.previousHash().toHex()
                    + " is not the hash of entry " + lastSequence + " (" + lastHash.toHex() + ")");
        }
        if (checkHashes) {
            Hash actual = canonical.hash(e);
            if (!actual.equals(e.hash())) {
                problem(seq, ProblemKind.HASH_MISMATCH, "stored hash " + e.hash().toHex()
                        + " but the content hashes to " + actual.toHex());
            }
        }
        lastSequence = seq;
        lastHash = e.hash();
        remember(seq, e.kind());
        if (!balanced(e)) {
            return;
        }
        applyToBalances(e);
    }

    private boolean balanced(Entry e) {
        List<Posting> postings = e.postings();
        if (postings.size() < 2) {
            problem(e.sequence(), ProblemKind.UNBALANCED, "entry has " + postings.size() + " posting(s)");
            return false;
        }
        long d = 0;
        long c = 0;
        for (Posting p : postings) {
            if (!p.amount().currency().equals(ledger.currency())) {
                problem(e.sequence(), ProblemKind.UNBALANCED, "posting in " + p.amount().currency()
                        + " in a " + ledger.currency() + " ledger");
                return false;
            }
            try {
                if (p.side() == Side.DEBIT) {
                    d = Math.addExact(d, p.amount().minor());
                } else {
                    c = Math.addExact(c, p.amount().minor());
                }
            } catch (ArithmeticException x) {
                problem(e.sequence(), ProblemKind.UNBALANCED, "postings overflow");
                return false;
            }
        }
        if (d != c) {
            problem(e.sequence(), ProblemKind.UNBALANCED, "debits " + d + " != credits " + c + " (minor units)");
            return false;
        }
        return true;
    }

    private void applyToBalances(Entry e) {
        long seq = e.sequence();
        switch (e.kind()) {
            case STANDARD:
                add(e, e.postings(), 0, 1);
                break;
            case HOLD:
                add(e, e.postings(), 2, 1);
                openHolds.put(seq, e);
                break;
            case REVERSAL: {
                long ref = e.reference().orElse(0);
                int refKind = kindOf(ref);
                if (refKind != EntryKind.STANDARD.code() && refKind != EntryKind.HOLD_POST.code()) {
                    problem(seq, ProblemKind.BAD_REFERENCE, "reverses entry " + ref + " which is not a STANDARD or HOLD_POST entry before it");
                } else if (reversedFlags[(int) ref] != 0) {
                    problem(seq, ProblemKind.BAD_REFERENCE, "reverses entry " + ref + " a second time");
                } else {
                    reversedFlags[(int) ref] = 1;
                }
                add(e, e.postings(), 0, 1);
                break;
            }
            case HOLD_POST:
            case HOLD_VOID:
            case HOLD_EXPIRE: {
                long ref = e.reference().orElse(0);
                Entry hold = openHolds.remove(ref);
                if (hold == null) {
                    problem(seq, ProblemKind.BAD_REFERENCE, "resolves entry " + ref + " which is not a pending hold");
                    add(e, e.postings(), e.kind() == EntryKind.HOLD_POST ? 0 : 2, e.kind() == EntryKind.HOLD_POST ? 1 : -1);
                    break;
                }
                if (e.kind() == EntryKind.HOLD_POST) {
                    add(e, e.postings(), 0, 1);
                } else if (!samePostings(hold.postings(), e.postings())) {
                    problem(seq, ProblemKind.BAD_REFERENCE, "releases amounts that differ from hold " + ref);
                }
                add(e, hold.postings(), 2, -1);
                break;
            }
            default:
                problem(seq, ProblemKind.BAD_REFERENCE, "unknown kind " + e.kind());
        }
        // Policies are checked after the whole entry, as the journal does.
        for (Posting p : e.postings()) {
            Account a = accounts.get(p.account());
            long[] t = totals.get(p.account());
            if (a != null && !a.policy().allows(t[0], t[1], t[2], t[3])) {
                problem(seq, ProblemKind.POLICY_VIOLATED, "account " + a.code() + " breaks " + a.policy());
            }
        }
    }

    private void add(Entry e, List<Posting> postings, int offset, int sign) {
        for (Posting p : postings) {
            long[] t = totals.get(p.account());
            if (t == null) {
                problem(e.sequence(), ProblemKind.BAD_REFERENCE, "posting to unknown account " + p.account());
                t = new long[4];
                totals.put(p.account(), t);
            }
            int i = offset + (p.side() == Side.DEBIT ? 0 : 1);
            t[i] += sign * p.amount().minor();
        }
    }

    private static boolean samePostings(List<Posting> a, List<Posting> b) {
        return a.equals(b);
    }

    private void remember(long seq, EntryKind kind) {
        if (seq >= Integer.MAX_VALUE - 8) {
            throw new LedgerException("ledger too long for in-memory replay: " + seq);
        }
        int i = (int) seq;
        if (i >= kinds.length) {
            int size = Math.max(kinds.length * 2, i + 1);
            kinds = Arrays.copyOf(kinds, size);
            reversedFlags = Arrays.copyOf(reversedFlags, size);
        }
        kinds[i] = (byte) kind.code();
    }

    private int kindOf(long seq) {
        return seq > 0 && seq < lastSequence && seq < kinds.length ? kinds[(int) seq] : 0;
    }

    /** Records a problem found outside the entry stream (e.g. by a store looking at its own rows). */
    public void addProblem(long sequence, ProblemKind kind, String detail) {
        problem(sequence, kind, detail);
    }

    /** Compares the stored balance rows with the replayed ones; differences become BALANCE_MISMATCH problems. */
    public void compareBalances(Collection<Balance> stored) {
        Map<AccountCode, Balance> rebuilt = balances();
        for (Balance s : stored) {
            Balance r = rebuilt.get(s.account());
            if (r == null) {
                problem(0, ProblemKind.BALANCE_MISMATCH, "stored balance for unknown account " + s.account());
            } else if (r.debitsPosted() != s.debitsPosted() || r.creditsPosted() != s.creditsPosted()
                    || r.debitsPending() != s.debitsPending() || r.creditsPending() != s.creditsPending()) {
                problem(0, ProblemKind.BALANCE_MISMATCH, "account " + s.account() + ": stored " + describe(s)
                        + " but the journal gives " + describe(r));
            }
        }
    }

    /** Compares the stored head with the last entry replayed. */
    public void compareHead(Journal.Head head) {
        if (head.lastSequence() != lastSequence || !head.lastHash().equals(lastHash)) {
            problem(0, ProblemKind.HEAD_MISMATCH, "ledger head says entry " + head.lastSequence() + " / "
                    + head.lastHash().toHex() + " but the last entry is " + lastSequence + " / " + lastHash.toHex());
        }
    }

    private static String describe(Balance b) {
        return "Dr " + b.debitsPosted() + " Cr " + b.creditsPosted() + " pending Dr " + b.debitsPending()
                + " Cr " + b.creditsPending();
    }

    /** The replayed balances of every account seen, ordered by code. */
    public Map<AccountCode, Balance> balances() {
        Map<AccountCode, Balance> out = new TreeMap<>();
        for (Map.Entry<AccountCode, long[]> e : totals.entrySet()) {
            Account a = accounts.get(e.getKey());
            AccountType type = a == null ? AccountType.ASSET : a.type();
            long[] t = e.getValue();
            out.put(e.getKey(), new Balance(e.getKey(), type, ledger.currency(), t[0], t[1], t[2], t[3]));
        }
        return Collections.unmodifiableMap(out);
    }

    /** The trial balance of the replayed entries. */
    public TrialBalance trialBalance() {
        return TrialBalance.of(ledger.id(), ledger.currency(), lastSequence, new ArrayList<>(balances().values()));
    }

    public long lastSequence() {
        return lastSequence;
    }

    public Hash lastHash() {
        return lastHash;
    }

    /** The report of everything found so far. */
    public VerificationReport report() {
        return new VerificationReport(ledger.id(), entries, lastSequence, problems);
    }

    /** How many problems were found (the report keeps the first thousand). */
    public long problemCount() {
        return problemCount;
    }

    private void problem(long seq, ProblemKind kind, String detail) {
        problemCount++;
        if (problems.size() < MAX_PROBLEMS) {
            problems.add(new Problem(seq, kind, detail));
        }
    }
}
