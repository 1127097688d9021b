package org.ticketledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ticketledger.cli.internal.journal.JsonLinesWriter;
import org.ticketledger.cli.internal.journal.LedgerHead;
import org.ticketledger.ledger.Account;
import org.ticketledger.ledger.AccountCode;
import org.ticketledger.ledger.Balance;
import org.ticketledger.ledger.BalancePolicy;
import org.ticketledger.ledger.CanonicalForm;
import org.ticketledger.ledger.Entry;
import org.ticketledger.ledger.EntryKind;
import org.ticketledger.ledger.Hash;
import org.ticketledger.ledger.InMemoryJournal;
import org.ticketledger.ledger.Ledger;
import org.ticketledger.ledger.LedgerId;
import org.ticketledger.ledger.Money;
import org.ticketledger.ledger.Posting;
import org.ticketledger.ledger.Side;
import org.ticketledger.ledger.testing.MutableClock;

/**
 * A forger who rewrites an entry and then recomputes every later hash and the ledger head leaves a
 * chain that is sound byte for byte: no hash, chain or head check can see the edit. What the entry
 * now says must still be caught — an unbalanced entry, an overdrawn account, time running
 * backwards — at that entry's sequence and line, with a non-zero exit code. Some tests also pin
 * what such a forger gets away with, as JOURNAL-FORMAT.md ("What the chain does not cover") states.
 */
class ForgedJournalTest {

    private static final LedgerId LEDGER = FileVerifyTest.LEDGER;
    private static final AccountCode PAYABLE = AccountCode.of(SampleJournal.PAYABLE);
    private static final AccountCode MARGIN = AccountCode.of(SampleJournal.MARGIN);
    private static final AccountCode SETTLEMENT = AccountCode.of(SampleJournal.SETTLEMENT);

    @TempDir
    Path dir;
    private InMemoryJournal journal;
    private Ledger ledger;
    private List<Entry> entries;

    @BeforeEach
    void journal() {
        // The same 97 entries as FileVerifyTest: 95 of the pattern, then a hold (96) and its expiry (97).
        MutableClock clock = MutableClock.at("2026-11-26T02:00:00.123456Z");
        journal = InMemoryJournal.withClock(clock);
        SampleJournal.open(journal, LEDGER);
        SampleJournal.fill(journal, LEDGER, 95, 10, clock);
        SampleJournal.expiringHold(journal, LEDGER, clock);
        ledger = journal.ledger(LEDGER).orElseThrow();
        entries = journal.entries(LEDGER, 1, 1_000);
        assertThat(entries).hasSize(97);
    }

    @Test
    void rechainingWithoutAnEditWritesTheExportByteForByte() throws Exception {
        // Shows that the forgeries below differ from a genuine export only in what they edit.
        Path genuine = dir.resolve("genuine.jsonl");
        try (OutputStream out = Files.newOutputStream(genuine)) {
            JournalExport.write(journal, Optional.empty(), out);
        }
        Path forged = new Forgery().write();
        assertThat(Files.readAllBytes(forged)).isEqualTo(Files.readAllBytes(genuine));
    }

    @Test
    void rehashedEntryWhosePostingsDoNotBalanceIsReportedAsUnbalanced() throws Exception {
        // Entry 94 is a redemption: Dr unredeemed 100.01 = Cr payable 90.01 + Cr margin 10.00.
        // The forger books 11.00 of margin instead, and drops the stored balances, which would give it away.
        Entry redemption = entries.get(93);
        assertThat(redemption.type()).isEqualTo("redemption");
        Path file = new Forgery().edit(94, e -> withPostings(e, replaceAmount(e.postings(), MARGIN, Side.CREDIT, 1100)))
                .withoutStoredBalances().write();

        Cli r = Cli.run("verify", "--file", file.toString());

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.JOURNAL_BROKEN);
        assertThat(r.out()).as(r.toString())
                .contains("entries 1..97 checked, 6 account(s): BROKEN, 1 finding(s)")
                .contains("first break: sequence 94 (line " + FileVerifyTest.lineOf(94) + "): UNBALANCED: debits 10001"
                        + " != credits 10101");
    }

    @Test
    void rehashedEntryThatOverdrawsAnAccountIsReportedAsAPolicyViolation() throws Exception {
        // Entry 96 holds 0.01 of the scenic spot's payable for a payout, entry 97 lets it expire. The forger
        // holds one fen more than the spot is owed (and changes the expiry to match, as the format demands).
        // Nothing posted changes, so the stored balances still agree: only the policy check can see it.
        Path file = overdrawPayable(new Forgery()).write();

        Cli r = Cli.run("verify", "--file", file.toString());

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.JOURNAL_BROKEN);
        assertThat(r.out()).as(r.toString())
                .contains("entries 1..97 checked, 6 account(s): BROKEN, 1 finding(s)")
                .contains("first break: sequence 96 (line " + FileVerifyTest.lineOf(96) + "): POLICY_VIOLATED: account "
                        + SampleJournal.PAYABLE + " breaks DEBITS_MUST_NOT_EXCEED_CREDITS");
    }

    @Test
    void rehashedEntryRecordedBeforeTheEntryBeforeItIsReportedAsTimeReversed() throws Exception {
        // Entries 41..50 were posted in one batch, 51 a second later; the forger backdates 51 to a microsecond
        // before 50.
        Instant before = entries.get(49).recordedAt();
        assertThat(entries.get(50).recordedAt()).isAfter(before);
        Path file = new Forgery().edit(51, e -> withRecordedAt(e, before.minusNanos(1_000))).write();

        Cli r = Cli.run("verify", "--file", file.toString());

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.JOURNAL_BROKEN);
        assertThat(r.out()).as(r.toString())
                .contains("entries 1..97 checked, 6 account(s): BROKEN, 1 finding(s)")
                .contains("first break: sequence 51 (line " + FileVerifyTest.lineOf(51) + "): TIME_REVERSED");
    }

    @Test
    void rehashedChainUnderTheOldLedgerHeadIsAHeadMismatch() throws Exception {
        // A metadata edit breaks no rule of its own; a forger who rechains but keeps the ledger line is caught there.
        Path file = new Forgery().edit(30, e -> withMetadata(e, Map.of("order", "o-forged")))
                .keepingTheOldHead().write();

        Cli r = Cli.run("verify", "--file", file.toString());

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.JOURNAL_BROKEN);
        assertThat(r.out()).as(r.toString())
                .contains("BROKEN, 1 finding(s)")
                .contains("first break: sequence 97: HEAD_MISMATCH: the ledger head's hash");
    }

    @Test
    void rechainedMetadataEditUnderAnUpdatedHeadGoesUnnoticed() throws Exception {
        // Pins the limit JOURNAL-FORMAT.md states: a file verifies against its own ledger line, so a rewrite
        // that breaks no rule is caught only by comparing the last hash with one held elsewhere.
        Path file = new Forgery().edit(30, e -> withMetadata(e, Map.of("order", "o-forged"))).write();

        Cli r = Cli.run("verify", "--file", file.toString());

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.OK);
    }

    @Test
    void entryWhoseOwnHashIsRightButThatLinksToAnotherPredecessorBreaksTheChain() throws Exception {
        // Entry 60 claims entry 58 as its predecessor; its own hash and every later one are recomputed over that.
        Hash elsewhere = entries.get(57).hash();
        Path file = new Forgery().link(60, elsewhere).write();

        Cli r = Cli.run("verify", "--file", file.toString());

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.JOURNAL_BROKEN);
        assertThat(r.out()).as(r.toString())
                .contains("BROKEN, 1 finding(s)")
                .contains("first break: sequence 60 (line " + FileVerifyTest.lineOf(60) + "): CHAIN_BROKEN: "
                        + "previous hash " + elsewhere.toHex() + " is not the hash of entry 59");
    }

    @Test
    void partialExportStillChecksThatEachRehashedEntryBalances() throws Exception {
        // From entry 90 on, balances cannot be rebuilt; each entry's own balance can still be checked.
        Path file = new Forgery().from(90)
                .edit(94, e -> withPostings(e, replaceAmount(e.postings(), MARGIN, Side.CREDIT, 1100))).write();

        Cli r = Cli.run("verify", "--file", file.toString());

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.JOURNAL_BROKEN);
        assertThat(r.out()).as(r.toString())
                .contains("entries 90..97 checked (partial export from entry 90", "BROKEN, 1 finding(s)")
                .contains("first break: sequence 94 (line 12): UNBALANCED: debits 10001 != credits 10101");
    }

    // The next two pin the limit JOURNAL-FORMAT.md states: account lines are outside the chain and verify has
    // nothing to check them against. Should verify learn to, change the document together with these tests.

    @Test
    void editedAccountMetadataGoesUnnoticedAsAccountLinesAreOutsideTheChain() throws Exception {
        Path file = new Forgery().accounts(a -> a.code().equals(PAYABLE)
                ? new Account(a.ledger(), a.code(), a.type(), a.policy(), Map.of("owner", "someone-else")) : a).write();
        assertThat(Files.readString(file)).contains("\"owner\":\"someone-else\"");

        Cli r = Cli.run("verify", "--file", file.toString());

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.OK);
    }

    @Test
    void overdrawUnderAPolicyLoosenedInTheAccountLineGoesUnnoticed() throws Exception {
        Path file = overdrawPayable(new Forgery()).accounts(a -> a.code().equals(PAYABLE)
                ? new Account(a.ledger(), a.code(), a.type(), BalancePolicy.NONE, a.metadata()) : a).write();

        Cli r = Cli.run("verify", "--file", file.toString());

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.OK);
    }

    /** Makes the payout hold 96 (and its expiry 97) take one fen more than the scenic spot is owed. */
    private Forgery overdrawPayable(Forgery forgery) {
        Balance payable = journal.balance(LEDGER, PAYABLE).orElseThrow();
        long overdraw = payable.creditsPosted() - payable.debitsPosted() + 1; // nothing pending after the expiry
        Balance settlement = journal.balance(LEDGER, SETTLEMENT).orElseThrow();
        assertThat(settlement.debitsPosted() - settlement.creditsPosted())
                .as("the settlement account can take the forged credit, so only the payable is overdrawn")
                .isGreaterThanOrEqualTo(overdraw);
        assertThat(entries.get(95).kind()).isEqualTo(EntryKind.HOLD);
        assertThat(entries.get(96).kind()).isEqualTo(EntryKind.HOLD_EXPIRE);
        UnaryOperator<Entry> inflate = e -> withPostings(e, List.of(
                Posting.debit(PAYABLE, Money.cny(overdraw)), Posting.credit(SETTLEMENT, Money.cny(overdraw))));
        return forgery.edit(96, inflate).edit(97, inflate);
    }

    /**
     * The journal written as an export with some entries edited and every hash recomputed from the first
     * entry written on, as the journal computes them ({@link CanonicalForm}). By default the forger also
     * puts the new last hash in the ledger line and keeps the genuine stored balance lines.
     */
    private final class Forgery {

        private final Map<Long, UnaryOperator<Entry>> edits = new HashMap<>();
        private final Map<Long, Hash> links = new HashMap<>();
        private UnaryOperator<Account> accountEdit = UnaryOperator.identity();
        private boolean updateHead = true;
        private boolean storedBalances = true;
        private long from = 1;

        Forgery edit(long sequence, UnaryOperator<Entry> edit) {
            edits.put(sequence, edit);
            return this;
        }

        /** Chains entry {@code sequence} to {@code previous} instead of the entry before it. */
        Forgery link(long sequence, Hash previous) {
            links.put(sequence, previous);
            return this;
        }

        Forgery accounts(UnaryOperator<Account> edit) {
            accountEdit = edit;
            return this;
        }

        Forgery keepingTheOldHead() {
            updateHead = false;
            return this;
        }

        /** Leaves the balance lines out, which the format allows. */
        Forgery withoutStoredBalances() {
            storedBalances = false;
            return this;
        }

        /** A partial export (as {@code export --from}); its first entry anchors the chain. */
        Forgery from(long sequence) {
            from = sequence;
            storedBalances = false;
            return this;
        }

        Path write() throws Exception {
            List<Entry> forged = new ArrayList<>();
            Hash previous = from == 1 ? Hash.GENESIS : entries.get((int) from - 2).hash();
            for (Entry original : entries.subList((int) from - 1, entries.size())) {
                Entry e = edits.getOrDefault(original.sequence(), UnaryOperator.identity()).apply(original);
                e = chained(e, links.getOrDefault(e.sequence(), previous));
                forged.add(e);
                previous = e.hash();
            }
            Hash head = updateHead ? previous : journal.head(LEDGER).lastHash();
            Path file = dir.resolve("forged.jsonl");
            try (OutputStream out = Files.newOutputStream(file)) {
                JsonLinesWriter w = new JsonLinesWriter(out);
                w.ledger(new LedgerHead(ledger, from, entries.size(), head));
                List<Account> accounts = journal.accounts(LEDGER);
                accounts.forEach(a -> w.account(accountEdit.apply(a)));
                forged.forEach(e -> w.entry(e, 0));
                if (storedBalances) {
                    for (Account a : accounts) {
                        journal.balance(LEDGER, a.code()).ifPresent(b -> w.balance(LEDGER, b));
                    }
                }
                w.end();
            }
            return file;
        }
    }

    private static Entry chained(Entry e, Hash previous) {
        Hash hash = new CanonicalForm().hash(previous, e.ledger(), e.sequence(), e.kind(), e.idempotencyKey(), e.type(),
                e.postings(), e.reference().orElse(0), e.effectiveAt(), e.recordedAt(), e.holdExpiresAt(),
                e.metadata());
        return new Entry(e.ledger(), e.sequence(), e.kind(), e.idempotencyKey(), e.type(), e.postings(), e.reference(),
                e.effectiveAt(), e.recordedAt(), e.holdExpiresAt(), e.metadata(), previous, hash);
    }

    private static Entry withPostings(Entry e, List<Posting> postings) {
        return new Entry(e.ledger(), e.sequence(), e.kind(), e.idempotencyKey(), e.type(), postings, e.reference(),
                e.effectiveAt(), e.recordedAt(), e.holdExpiresAt(), e.metadata(), e.previousHash(), e.hash());
    }

    private static Entry withRecordedAt(Entry e, Instant recordedAt) {
        return new Entry(e.ledger(), e.sequence(), e.kind(), e.idempotencyKey(), e.type(), e.postings(), e.reference(),
                e.effectiveAt(), recordedAt, e.holdExpiresAt(), e.metadata(), e.previousHash(), e.hash());
    }

    private static Entry withMetadata(Entry e, Map<String, String> metadata) {
        return new Entry(e.ledger(), e.sequence(), e.kind(), e.idempotencyKey(), e.type(), e.postings(), e.reference(),
                e.effectiveAt(), e.recordedAt(), e.holdExpiresAt(), metadata, e.previousHash(), e.hash());
    }

    /** The postings with the one on {@code account} and {@code side} set to {@code minor}; it must exist. */
    private static List<Posting> replaceAmount(List<Posting> postings, AccountCode account, Side side, long minor) {
        List<Posting> out = new ArrayList<>();
        boolean found = false;
        for (Posting p : postings) {
            if (p.account().equals(account) && p.side() == side) {
                out.add(new Posting(account, side, Money.cny(minor)));
                found = true;
            } else {
                out.add(p);
            }
        }
        assertThat(found).as("a " + side + " posting on " + account + " in " + postings).isTrue();
        return out;
    }
}
