package org.ticketledger.cli.internal.audit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.ticketledger.cli.internal.journal.LedgerHead;
import org.ticketledger.ledger.Account;
import org.ticketledger.ledger.AccountCode;
import org.ticketledger.ledger.Balance;
import org.ticketledger.ledger.CanonicalForm;
import org.ticketledger.ledger.Entry;
import org.ticketledger.ledger.Hash;
import org.ticketledger.ledger.JournalReplay;
import org.ticketledger.ledger.Money;
import org.ticketledger.ledger.Posting;
import org.ticketledger.ledger.Side;
import org.ticketledger.ledger.TrialBalance;
import org.ticketledger.ledger.VerificationReport.Problem;
import org.ticketledger.ledger.VerificationReport.ProblemKind;

/**
 * The audit of one ledger: a {@link JournalReplay} (the same code the journals verify with) fed
 * entry by entry, plus the checks that need the source's framing — where each entry sits, which
 * line holds it, the declared head, the stored balances. A partial export (one that does not start
 * at entry 1) cannot rebuild balances, so it gets the chain, hash and balance-of-entry checks only.
 * Not thread-safe.
 */
public final class LedgerAudit {

    private static final int MAX_FINDINGS = 1000;
    /** JournalReplay indexes entries by sequence in arrays; anything beyond this is not a real sequence. */
    private static final long MAX_REPLAYABLE = Integer.MAX_VALUE - 16L;

    private final LedgerHead head;
    private final List<Account> accounts = new ArrayList<>();
    private final List<Balance> stored = new ArrayList<>();
    private final List<Finding> findings = new ArrayList<>();
    private JournalReplay replay;
    private CanonicalForm canonical;
    private long findingCount;
    private long entriesRead;
    private long entriesApplied;
    private long lastSequence;
    private Hash lastHash = Hash.GENESIS;
    private Instant lastRecordedAt;
    private boolean cut;
    private int replayProblemsSeen;
    private long replayProblemCount;

    LedgerAudit(LedgerHead head) {
        this.head = head;
        this.lastSequence = head.firstSequence() - 1;
    }

    void account(Account account) {
        accounts.add(account);
    }

    void storedBalance(Balance balance) {
        stored.add(balance);
    }

    /** Feeds the next entry the source holds; {@code included} says whether it is inside the as-of point. */
    void entry(Entry e, long line, boolean included) {
        entriesRead++;
        if (cut) {
            return;
        }
        if (!included) {
            cut = true;
            return;
        }
        start();
        long seq = e.sequence();
        long expected = lastSequence + 1;
        if (seq != expected) {
            if (seq < expected) {
                finding(expected, line, FindingKind.SEQUENCE_GAP, "entry " + expected + " should be here, but the entry"
                        + " says it is " + seq + " (out of order, repeated, or its sequence was changed)");
                return;
            }
            String missing = seq - expected == 1 ? "entry " + expected + " is missing"
                    : "entries " + expected + " to " + (seq - 1) + " are missing";
            if (seq > head.lastSequence() || seq > MAX_REPLAYABLE) {
                finding(expected, line, FindingKind.SEQUENCE_GAP, missing + ": the next entry says it is " + seq
                        + ", beyond the ledger head " + head.lastSequence());
                return;
            }
            finding(expected, line, FindingKind.SEQUENCE_GAP, missing + " (the next entry is " + seq + ")");
        }
        if (lastRecordedAt != null && e.recordedAt().isBefore(lastRecordedAt)) {
            finding(seq, line, FindingKind.TIME_REVERSED, "recorded at " + e.recordedAt() + ", before the entry before it ("
                    + lastRecordedAt + ")");
        }
        if (replay != null) {
            long before = replay.problemCount();
            replay.accept(e);
            if (replay.problemCount() != before) {
                takeReplayProblems(line);
            }
        } else {
            checkPartial(e, line);
        }
        lastSequence = seq;
        lastHash = e.hash();
        lastRecordedAt = e.recordedAt();
        entriesApplied++;
    }

    /** After the source ended: checks the head and, when given, the stored balances. */
    void end(boolean latest, boolean storedRequired) {
        start();
        if (!latest) {
            return;
        }
        if (lastSequence < head.lastSequence()) {
            long from = lastSequence + 1;
            finding(from, 0, FindingKind.SEQUENCE_GAP, (from == head.lastSequence() ? "entry " + from + " is missing"
                    : "entries " + from + " to " + head.lastSequence() + " are missing") + ": the ledger head says the last"
                    + " entry is " + head.lastSequence() + " but the journal ends at " + lastSequence);
        } else if (lastSequence > head.lastSequence()) {
            finding(head.lastSequence() + 1, 0, FindingKind.HEAD_MISMATCH, "the ledger head says the last entry is "
                    + head.lastSequence() + " but the journal goes on to " + lastSequence);
        } else if (entriesApplied > 0 || head.whole()) {
            if (!lastHash.equals(head.lastHash())) {
                finding(lastSequence, 0, FindingKind.HEAD_MISMATCH, "the ledger head's hash " + head.lastHash().toHex()
                        + " is not the hash of entry " + lastSequence + " (" + lastHash.toHex() + ")");
            }
        }
        if (replay != null && (storedRequired || !stored.isEmpty())) {
            compareBalances(stored, "stored");
        }
    }

    /**
     * Compares {@code other} totals with the rebuilt ones; each difference becomes a
     * {@link FindingKind#BALANCE_MISMATCH}. Returns the number of differences.
     */
    public int compareBalances(Collection<Balance> other, String source) {
        if (replay == null) {
            return 0;
        }
        Map<AccountCode, Balance> rebuilt = replay.balances();
        Map<AccountCode, Balance> given = new TreeMap<>();
        other.forEach(b -> given.put(b.account(), b));
        int differences = 0;
        for (Map.Entry<AccountCode, Balance> r : rebuilt.entrySet()) {
            Balance s = given.get(r.getKey());
            Balance b = r.getValue();
            if (s == null) {
                if (b.debitsPosted() != 0 || b.creditsPosted() != 0 || b.debitsPending() != 0 || b.creditsPending() != 0
                        || accountKnown(r.getKey())) {
                    differences++;
                    finding(0, 0, FindingKind.BALANCE_MISMATCH, "account " + r.getKey() + ": no " + source
                            + " balance, the journal gives " + describe(b));
                }
            } else if (!sameTotals(s, b)) {
                differences++;
                finding(0, 0, FindingKind.BALANCE_MISMATCH, "account " + r.getKey() + ": " + source + " " + describe(s)
                        + " but the journal gives " + describe(b));
            }
        }
        for (Balance s : given.values()) {
            if (!rebuilt.containsKey(s.account())) {
                differences++;
                finding(0, 0, FindingKind.BALANCE_MISMATCH, source + " balance for account " + s.account()
                        + " which the journal does not know");
            }
        }
        return differences;
    }

    private boolean accountKnown(AccountCode code) {
        for (Account a : accounts) {
            if (a.code().equals(code)) {
                return true;
            }
        }
        return false;
    }

    private static boolean sameTotals(Balance a, Balance b) {
        return a.debitsPosted() == b.debitsPosted() && a.creditsPosted() == b.creditsPosted()
                && a.debitsPending() == b.debitsPending() && a.creditsPending() == b.creditsPending();
    }

    private static String describe(Balance b) {
        return "Dr " + amount(b, b.debitsPosted()) + " Cr " + amount(b, b.creditsPosted()) + " pending Dr "
                + amount(b, b.debitsPending()) + " Cr " + amount(b, b.creditsPending());
    }

    private static String amount(Balance b, long minor) {
        return Money.of(minor, b.currency()).toDecimalString();
    }

    private void start() {
        if (replay == null && canonical == null) {
            if (head.whole()) {
                replay = new JournalReplay(head.ledger(), accounts, true);
            } else {
                canonical = new CanonicalForm();
            }
        }
    }

    private void takeReplayProblems(long line) {
        List<Problem> all = replay.report().problems();
        long total = replay.problemCount();
        for (int i = replayProblemsSeen; i < all.size(); i++) {
            Problem p = all.get(i);
            // Gaps are reported above, at the missing sequence and with more context.
            if (p.kind() != ProblemKind.SEQUENCE_GAP) {
                finding(p.sequence(), line, FindingKind.valueOf(p.kind().name()), p.detail());
            }
        }
        // Past the replay's own cap the details are gone; keep the count honest.
        long unseen = total - replayProblemCount - (all.size() - replayProblemsSeen);
        if (unseen > 0) {
            findingCount += unseen;
        }
        replayProblemsSeen = all.size();
        replayProblemCount = total;
    }

    /** Chain, hash and balance of a partial export, which cannot rebuild balances. */
    private void checkPartial(Entry e, long line) {
        long seq = e.sequence();
        // The first entry of a partial export anchors the chain: its previous hash cannot be checked here.
        if (entriesApplied > 0 && !e.previousHash().equals(lastHash)) {
            finding(seq, line, FindingKind.CHAIN_BROKEN, "previous hash " + e.previousHash().toHex()
                    + " is not the hash of entry " + lastSequence + " (" + lastHash.toHex() + ")");
        }
        Hash actual = canonical.hash(e);
        if (!actual.equals(e.hash())) {
            finding(seq, line, FindingKind.HASH_MISMATCH, "stored hash " + e.hash().toHex()
                    + " but the content hashes to " + actual.toHex());
        }
        long d = 0;
        long c = 0;
        for (Posting p : e.postings()) {
            if (!p.amount().currency().equals(head.ledger().currency())) {
                finding(seq, line, FindingKind.UNBALANCED, "posting in " + p.amount().currency() + " in a "
                        + head.ledger().currency() + " ledger");
                return;
            }
            if (p.side() == Side.DEBIT) {
                d = Math.addExact(d, p.amount().minor());
            } else {
                c = Math.addExact(c, p.amount().minor());
            }
        }
        if (e.postings().size() < 2 || d != c) {
            finding(seq, line, FindingKind.UNBALANCED, "debits " + d + " != credits " + c + " (minor units) or fewer"
                    + " than two postings");
        }
    }

    private void finding(long sequence, long line, FindingKind kind, String detail) {
        findingCount++;
        if (findings.size() < MAX_FINDINGS) {
            findings.add(new Finding(head.ledger().id(), sequence, line, kind, detail));
        }
    }

    /** The ledger as the source declared it. */
    public LedgerHead head() {
        return head;
    }

    /** Whether balances were rebuilt (the source starts at entry 1). */
    public boolean rebuilt() {
        return replay != null;
    }

    /** Entries the source delivered. */
    public long entriesRead() {
        return entriesRead;
    }

    /** Entries checked and applied (those inside the as-of point that sat where they belong). */
    public long entriesApplied() {
        return entriesApplied;
    }

    /** The last sequence applied. */
    public long lastSequence() {
        return lastSequence;
    }

    /** The hash of the last entry applied. */
    public Hash lastHash() {
        return lastHash;
    }

    /** The recorded time of the last entry applied, if any. */
    public Optional<Instant> lastRecordedAt() {
        return Optional.ofNullable(lastRecordedAt);
    }

    /** The first thousand findings, in the order found. */
    public List<Finding> findings() {
        return Collections.unmodifiableList(findings);
    }

    /** All findings, including those past the first thousand. */
    public long findingCount() {
        return findingCount;
    }

    /** The accounts declared, in source order. */
    public List<Account> accounts() {
        return Collections.unmodifiableList(accounts);
    }

    /** The rebuilt balances by account code; empty for a partial export. */
    public Map<AccountCode, Balance> balances() {
        return replay == null ? Map.of() : replay.balances();
    }

    /** The rebuilt trial balance, if balances were rebuilt. */
    public Optional<TrialBalance> trialBalance() {
        return replay == null ? Optional.empty() : Optional.of(replay.trialBalance());
    }
}
