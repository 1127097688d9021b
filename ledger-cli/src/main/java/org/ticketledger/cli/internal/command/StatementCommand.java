package org.ticketledger.cli.internal.command;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ticketledger.cli.UnableToFindLedgerException;
import org.ticketledger.cli.internal.audit.Auditor;
import org.ticketledger.cli.internal.journal.JournalVisitor;
import org.ticketledger.cli.internal.journal.LedgerHead;
import org.ticketledger.cli.internal.report.Bound;
import org.ticketledger.cli.internal.report.Report;
import org.ticketledger.cli.internal.report.StatementBuilder;
import org.ticketledger.ledger.Account;
import org.ticketledger.ledger.AccountCode;
import org.ticketledger.ledger.AsOf;
import org.ticketledger.ledger.Balance;
import org.ticketledger.ledger.Entry;
import org.ticketledger.ledger.LedgerId;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code statement}: one account's lines between two points, with opening, running and closing balances. */
@Command(name = "statement", sortOptions = false,
        description = "One account's lines between --from and --to (entry sequences or recorded times, inclusive)"
                + " with opening, running and closing balances, rebuilt from the journal.")
final class StatementCommand extends ReportCommand {

    @Option(names = "--account", required = true, paramLabel = "CODE", description = "The account code.")
    String account;

    @Option(names = "--from", paramLabel = "SEQ|INSTANT", converter = AsOfConverter.class,
            description = "First entry sequence or recorded time (default: the first entry).")
    Bound from;

    @Option(names = "--to", paramLabel = "SEQ|INSTANT", converter = AsOfConverter.class,
            description = "Last entry sequence or recorded time (default: the last entry).")
    Bound to;

    @Override
    public Integer call() {
        AccountCode code;
        try {
            code = AccountCode.of(account);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        AsOf until = to == null ? AsOf.latest() : to.asOf();
        Auditor auditor = new Auditor(until, fromDatabase());
        Finder finder = new Finder(ledgerId(), code, Optional.ofNullable(from), Optional.ofNullable(to));
        read(until, JournalVisitor.both(auditor, finder), "statement", Optional.empty());
        return finish(auditor, List.of(finder.builder().report()));
    }

    /**
     * Picks the statement's ledger — the one named, or the only one holding the account — once the
     * accounts are known, and feeds its builder.
     */
    private static final class Finder implements JournalVisitor {
        private final Optional<LedgerId> named;
        private final AccountCode code;
        private final Optional<Bound> from;
        private final Optional<Bound> to;
        private final List<LedgerHead> heads = new ArrayList<>();
        private final Map<LedgerId, Account> holders = new LinkedHashMap<>();
        private StatementBuilder builder;

        Finder(Optional<LedgerId> named, AccountCode code, Optional<Bound> from, Optional<Bound> to) {
            this.named = named;
            this.code = code;
            this.from = from;
            this.to = to;
        }

        @Override
        public void ledger(LedgerHead head) {
            heads.add(head);
        }

        @Override
        public void account(Account a) {
            if (a.code().equals(code)) {
                holders.put(a.ledger(), a);
            }
        }

        @Override
        public void entry(Entry entry, long line) {
            builder().entry(entry, line);
        }

        @Override
        public void balance(LedgerId ledger, Balance balance) {
        }

        StatementBuilder builder() {
            if (builder == null) {
                LedgerId id;
                if (named.isPresent()) {
                    id = named.get();
                } else if (holders.size() == 1) {
                    id = holders.keySet().iterator().next();
                } else if (holders.isEmpty()) {
                    throw new UnableToFindLedgerException("no account " + code + " in any ledger");
                } else {
                    throw new UnableToFindLedgerException("account " + code + " exists in ledgers " + holders.keySet()
                            + ": name one with --ledger");
                }
                builder = new StatementBuilder(id, code, from, to);
                heads.forEach(builder::ledger);
                Optional.ofNullable(holders.get(id)).ifPresent(builder::account);
            }
            return builder;
        }
    }
}
