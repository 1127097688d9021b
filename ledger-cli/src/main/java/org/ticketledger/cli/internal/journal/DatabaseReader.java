package org.ticketledger.cli.internal.journal;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Currency;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.TreeMap;
import org.ticketledger.cli.UnableToFindLedgerException;
import org.ticketledger.cli.UnableToReadDatabaseException;
import org.ticketledger.ledger.Account;
import org.ticketledger.ledger.AccountCode;
import org.ticketledger.ledger.AccountType;
import org.ticketledger.ledger.AsOf;
import org.ticketledger.ledger.Balance;
import org.ticketledger.ledger.BalancePolicy;
import org.ticketledger.ledger.Entry;
import org.ticketledger.ledger.EntryKind;
import org.ticketledger.ledger.Hash;
import org.ticketledger.ledger.Ledger;
import org.ticketledger.ledger.LedgerId;
import org.ticketledger.ledger.Money;
import org.ticketledger.ledger.Posting;
import org.ticketledger.ledger.Side;

/**
 * Reads a journal straight from its PostgreSQL tables (schema {@code ledger}) and streams it into
 * a {@link JournalVisitor}, without going through the platform's code.
 *
 * <p>Read-only by construction: the session starts with {@code default_transaction_read_only=on},
 * the connection is {@code setReadOnly(true)}, and everything runs in one
 * {@code REPEATABLE READ, READ ONLY} transaction, so heads, entries and balances come from one
 * snapshot and the server refuses any write. Entries stream through a server-side cursor (a fetch
 * size with auto-commit off), so memory does not grow with the journal.
 *
 * <p>Not thread-safe. Close it to end the transaction and the connection. Failures throw
 * {@link UnableToReadDatabaseException} with a message that never contains the password.
 */
public final class DatabaseReader implements AutoCloseable {

    private static final int FETCH_SIZE = 10_000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<TreeMap<String, String>> STRING_MAP = new TypeReference<>() {
    };

    private final Connection connection;
    private final DatabaseTarget target;

    private DatabaseReader(Connection connection, DatabaseTarget target) {
        this.connection = connection;
        this.target = target;
    }

    /**
     * Connects read-only and opens the snapshot transaction.
     *
     * @throws UnableToReadDatabaseException if the server cannot be reached, refuses the login, or
     *                                        the database holds no TicketLedger journal
     */
    public static DatabaseReader open(DatabaseTarget target) {
        Objects.requireNonNull(target, "target");
        Properties props = new Properties();
        target.user().ifPresent(u -> props.setProperty("user", u));
        target.password().ifPresent(p -> props.setProperty("password", p));
        props.setProperty("readOnly", "true");
        props.setProperty("readOnlyMode", "always");
        props.setProperty("options", "-c default_transaction_read_only=on");
        props.setProperty("ApplicationName", "ledger-cli");
        props.setProperty("connectTimeout", "10");
        Connection c;
        try {
            c = DriverManager.getConnection(target.jdbcUrl(), props);
        } catch (SQLException e) {
            throw connectFailure(target, e);
        }
        try {
            c.setReadOnly(true);
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
                try (ResultSet rs = s.executeQuery("SELECT to_regclass('ledger.entries') IS NOT NULL")) {
                    rs.next();
                    if (!rs.getBoolean(1)) {
                        throw new UnableToReadDatabaseException("no TicketLedger journal in " + target.redactedUrl()
                                + " (table ledger.entries not found)", null);
                    }
                }
            }
            return new DatabaseReader(c, target);
        } catch (SQLException | RuntimeException e) {
            closeQuietly(c);
            if (e instanceof UnableToReadDatabaseException u) {
                throw u;
            }
            throw new UnableToReadDatabaseException("cannot start a read-only transaction on " + target.redactedUrl()
                    + ": " + e.getMessage(), e);
        }
    }

    /** The read-only connection, for tests that prove it cannot write. */
    public Connection connection() {
        return connection;
    }

    /**
     * The ledgers to read: the one named, or all.
     *
     * @throws UnableToFindLedgerException if the named ledger does not exist
     */
    public List<LedgerHead> ledgers(Optional<LedgerId> only, long fromSequence) {
        List<LedgerHead> out = new ArrayList<>();
        query("SELECT ledger_id, currency, last_sequence, last_hash FROM ledger.ledgers ORDER BY ledger_id", ps -> {
        }, rs -> {
            LedgerId id = LedgerId.of(rs.getString(1));
            if (only.isEmpty() || only.get().equals(id)) {
                out.add(new LedgerHead(new Ledger(id, Currency.getInstance(rs.getString(2).trim())), fromSequence,
                        rs.getLong(3), Hash.ofBytes(rs.getBytes(4))));
            }
        });
        if (only.isPresent() && out.isEmpty()) {
            List<String> known = new ArrayList<>();
            query("SELECT ledger_id FROM ledger.ledgers ORDER BY ledger_id", ps -> {
            }, rs -> known.add(rs.getString(1)));
            throw new UnableToFindLedgerException("no ledger " + only.get() + " in " + target.redactedUrl()
                    + (known.isEmpty() ? " (it has no ledgers)" : "; ledgers: " + String.join(", ", known)));
        }
        return out;
    }

    /**
     * Streams the ledgers' accounts, entries from {@code fromSequence} up to {@code until}, and
     * stored balances into {@code visitor}, ending with {@link JournalVisitor#end()}.
     */
    public void read(List<LedgerHead> heads, AsOf until, JournalVisitor visitor, Progress progress) {
        Map<LedgerId, Map<AccountCode, Account>> accounts = new LinkedHashMap<>();
        Map<LedgerId, Long> upTo = new HashMap<>();
        long total = 0;
        for (LedgerHead h : heads) {
            visitor.ledger(h);
            long last = Math.min(h.lastSequence(), lastIncluded(h.ledger().id(), until));
            upTo.put(h.ledger().id(), last);
            total += Math.max(0, last - h.firstSequence() + 1);
        }
        for (LedgerHead h : heads) {
            Map<AccountCode, Account> byCode = accounts(h.ledger().id());
            accounts.put(h.ledger().id(), byCode);
            byCode.values().forEach(visitor::account);
        }
        progress.start("entries", total);
        for (LedgerHead h : heads) {
            entries(h.ledger(), h.firstSequence(), upTo.get(h.ledger().id()), visitor, progress);
        }
        for (LedgerHead h : heads) {
            Map<AccountCode, Account> byCode = accounts.get(h.ledger().id());
            for (Balance b : storedBalances(h.ledger(), byCode)) {
                visitor.balance(h.ledger().id(), b);
            }
        }
        visitor.end();
    }

    /**
     * The balances the database computes by SQL over postings up to {@code upTo} (posted: STANDARD,
     * REVERSAL and HOLD_POST entries; pending: holds not resolved by then), for comparing an as-of
     * replay when the balance table only holds the latest totals.
     */
    public List<Balance> aggregatedBalances(Ledger ledger, long upTo) {
        Map<AccountCode, Account> byCode = accounts(ledger.id());
        Map<AccountCode, long[]> sums = new TreeMap<>();
        byCode.keySet().forEach(c -> sums.put(c, new long[4]));
        query("SELECT p.account_code, p.side, sum(p.amount)::bigint FROM ledger.postings p JOIN ledger.entries e"
                + " ON e.ledger_id = p.ledger_id AND e.sequence = p.sequence"
                + " WHERE p.ledger_id = ? AND p.sequence <= ? AND e.kind IN (1, 2, 4) GROUP BY p.account_code, p.side", ps -> {
            ps.setString(1, ledger.id().value());
            ps.setLong(2, upTo);
        }, rs -> sums.computeIfAbsent(AccountCode.of(rs.getString(1)), k -> new long[4])
                [rs.getString(2).charAt(0) == 'D' ? 0 : 1] = rs.getLong(3));
        query("SELECT p.account_code, p.side, sum(p.amount)::bigint FROM ledger.postings p JOIN ledger.entries e"
                + " ON e.ledger_id = p.ledger_id AND e.sequence = p.sequence"
                + " WHERE p.ledger_id = ? AND p.sequence <= ? AND e.kind = 3"
                + " AND NOT EXISTS (SELECT 1 FROM ledger.entries r WHERE r.ledger_id = e.ledger_id"
                + " AND r.reference = e.sequence AND r.kind IN (4, 5, 6) AND r.sequence <= ?)"
                + " GROUP BY p.account_code, p.side", ps -> {
            ps.setString(1, ledger.id().value());
            ps.setLong(2, upTo);
            ps.setLong(3, upTo);
        }, rs -> sums.computeIfAbsent(AccountCode.of(rs.getString(1)), k -> new long[4])
                [rs.getString(2).charAt(0) == 'D' ? 2 : 3] = rs.getLong(3));
        List<Balance> out = new ArrayList<>();
        sums.forEach((code, s) -> {
            Account a = byCode.get(code);
            out.add(new Balance(code, a == null ? AccountType.ASSET : a.type(), ledger.currency(), s[0], s[1], s[2], s[3]));
        });
        return out;
    }

    /**
     * The last sequence an as-of point includes, found by the recorded times as stored: a filter
     * on the rows, not the journal's binary search, which would trust the order a tampered row may
     * have broken.
     */
    private long lastIncluded(LedgerId ledger, AsOf until) {
        if (until instanceof AsOf.AtSequence s) {
            return s.sequence();
        }
        if (until instanceof AsOf.AtInstant t) {
            long[] max = {0};
            query("SELECT coalesce(max(sequence), 0) FROM ledger.entries WHERE ledger_id = ?"
                    + " AND recorded_at <= ?", ps -> {
                ps.setString(1, ledger.value());
                ps.setObject(2, OffsetDateTime.ofInstant(t.instant(), java.time.ZoneOffset.UTC));
            }, rs -> max[0] = rs.getLong(1));
            // One entry more than the index says, so that a tampered recorded time still reaches the replay.
            return max[0] + 1;
        }
        return Long.MAX_VALUE;
    }

    private Map<AccountCode, Account> accounts(LedgerId ledger) {
        Map<AccountCode, Account> out = new LinkedHashMap<>();
        query("SELECT code, type, policy, metadata::text FROM ledger.accounts WHERE ledger_id = ? ORDER BY code", ps ->
                ps.setString(1, ledger.value()), rs -> {
            Account a = new Account(ledger, AccountCode.of(rs.getString(1)), AccountType.valueOf(rs.getString(2)),
                    BalancePolicy.valueOf(rs.getString(3)), metadata(rs.getString(4)));
            out.put(a.code(), a);
        });
        return out;
    }

    /**
     * The balances the database states: each balance row (totals as of its last_sequence) plus the
     * account's postings after that sequence, which the journal's writer may leave unwritten while
     * only posted totals change. Summed here by the entries' kinds as stored (posted: STANDARD,
     * REVERSAL, HOLD_POST). The writer writes the row whenever pending totals change, so a hold or
     * a resolution after last_sequence means the row states nothing the journal would give: such
     * an account is left out, and the comparison reports its balance as missing.
     */
    private List<Balance> storedBalances(Ledger ledger, Map<AccountCode, Account> byCode) {
        List<Balance> out = new ArrayList<>();
        query("SELECT b.account_code, b.debits_posted + coalesce(t.dp, 0), b.credits_posted + coalesce(t.cp, 0),"
                + " b.debits_pending, b.credits_pending, coalesce(t.other, 0)"
                + " FROM ledger.balances b LEFT JOIN LATERAL (SELECT"
                + " sum(p.amount) FILTER (WHERE p.side = 'D' AND e.kind IN (1, 2, 4))::bigint AS dp,"
                + " sum(p.amount) FILTER (WHERE p.side = 'C' AND e.kind IN (1, 2, 4))::bigint AS cp,"
                + " count(*) FILTER (WHERE e.kind NOT IN (1, 2, 4)) AS other"
                + " FROM ledger.postings p JOIN ledger.entries e ON e.ledger_id = p.ledger_id AND e.sequence = p.sequence"
                // The by-account index's expression first (V4), then the columns that decide.
                + " WHERE hashtextextended(p.ledger_id || '/' || p.account_code, 0)"
                + " = hashtextextended(b.ledger_id || '/' || b.account_code, 0)"
                + " AND p.ledger_id = b.ledger_id AND p.account_code = b.account_code"
                + " AND p.sequence > b.last_sequence) t ON true"
                + " WHERE b.ledger_id = ? ORDER BY b.account_code", ps -> ps.setString(1, ledger.id().value()), rs -> {
            if (rs.getLong(6) != 0) {
                return;
            }
            AccountCode code = AccountCode.of(rs.getString(1));
            Account a = byCode.get(code);
            out.add(new Balance(code, a == null ? AccountType.ASSET : a.type(), ledger.currency(),
                    rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5)));
        });
        return out;
    }

    private void entries(Ledger ledger, long from, long to, JournalVisitor visitor, Progress progress) {
        if (to < from) {
            return;
        }
        Currency currency = ledger.currency();
        Map<String, AccountCode> codes = new HashMap<>();
        String sql = "SELECT e.sequence, e.kind, e.idempotency_key, e.type, e.reference, e.effective_at, e.recorded_at,"
                + " e.hold_expires_at, e.metadata::text, e.previous_hash, e.hash, p.account_code, p.side, p.amount"
                + " FROM ledger.entries e LEFT JOIN ledger.postings p ON p.ledger_id = e.ledger_id AND p.sequence = e.sequence"
                + " WHERE e.ledger_id = ? AND e.sequence BETWEEN ? AND ? ORDER BY e.sequence, p.idx";
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setFetchSize(FETCH_SIZE);
            ps.setString(1, ledger.id().value());
            ps.setLong(2, from);
            ps.setLong(3, to);
            try (ResultSet rs = ps.executeQuery()) {
                EntryRows current = null;
                long pending = 0;
                while (rs.next()) {
                    long seq = rs.getLong(1);
                    if (current == null || current.sequence != seq) {
                        if (current != null) {
                            visitor.entry(current.build(ledger.id()), 0);
                            if (++pending == 4096) {
                                progress.advance(pending);
                                pending = 0;
                            }
                        }
                        current = new EntryRows(rs);
                    }
                    String account = rs.getString(12);
                    if (account != null) {
                        AccountCode code = codes.computeIfAbsent(account, AccountCode::of);
                        current.postings.add(new Posting(code, Side.ofCode(rs.getString(13).charAt(0)),
                                Money.of(rs.getLong(14), currency)));
                    }
                }
                if (current != null) {
                    visitor.entry(current.build(ledger.id()), 0);
                    pending++;
                }
                progress.advance(pending);
            }
        } catch (SQLException e) {
            throw new UnableToReadDatabaseException("reading the entries of ledger " + ledger.id() + " failed: "
                    + e.getMessage(), e);
        }
    }

    /** One entry's rows (one per posting) of the joined result. */
    private static final class EntryRows {
        final long sequence;
        final EntryKind kind;
        final String key;
        final String type;
        final OptionalLong reference;
        final Instant effectiveAt;
        final Instant recordedAt;
        final Optional<Instant> expiresAt;
        final Map<String, String> metadata;
        final Hash previous;
        final Hash hash;
        final List<Posting> postings = new ArrayList<>(4);

        EntryRows(ResultSet rs) throws SQLException {
            sequence = rs.getLong(1);
            kind = EntryKind.ofCode(rs.getInt(2));
            key = rs.getString(3);
            type = rs.getString(4);
            long ref = rs.getLong(5);
            reference = rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(ref);
            effectiveAt = instant(rs, 6);
            recordedAt = instant(rs, 7);
            expiresAt = Optional.ofNullable(instant(rs, 8));
            metadata = metadata(rs.getString(9));
            previous = Hash.ofBytes(rs.getBytes(10));
            hash = Hash.ofBytes(rs.getBytes(11));
        }

        Entry build(LedgerId ledger) {
            return new Entry(ledger, sequence, kind, key, type, postings, reference, effectiveAt, recordedAt,
                    expiresAt, metadata, previous, hash);
        }
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private static Map<String, String> metadata(String json) {
        if (json == null || json.equals("{}")) {
            return Map.of();
        }
        try {
            return JSON.readValue(json, STRING_MAP);
        } catch (IOException e) {
            throw new UnableToReadDatabaseException("stored metadata is not a JSON object of strings: " + json, e);
        }
    }

    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    @FunctionalInterface
    private interface RowHandler {
        void row(ResultSet rs) throws SQLException;
    }

    private void query(String sql, Binder binder, RowHandler handler) {
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    handler.row(rs);
                }
            }
        } catch (SQLException e) {
            throw new UnableToReadDatabaseException("query on " + target.redactedUrl() + " failed: " + e.getMessage(), e);
        }
    }

    private static UnableToReadDatabaseException connectFailure(DatabaseTarget target, SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String who = target.user().orElse("(default user)");
        String where = target.redactedUrl();
        String message;
        if (state.equals("28P01") || state.equals("28000")) {
            message = "authentication failed for user " + who + " at " + where + " (wrong user or password?)";
        } else if (state.equals("3D000")) {
            message = "the database in " + where + " does not exist";
        } else if (state.startsWith("08")) {
            message = "cannot reach the database at " + where + ": " + e.getMessage();
        } else {
            message = "cannot connect to " + where + " as " + who + ": " + e.getMessage();
        }
        return new UnableToReadDatabaseException(message, e);
    }

    /** Ends the read-only transaction (nothing to keep) and closes the connection. */
    @Override
    public void close() {
        try {
            connection.rollback();
        } catch (SQLException e) {
            // The connection may be gone; closing is all that is left to do.
        }
        closeQuietly(connection);
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException e) {
            // Nothing was written, so nothing can be lost by a failed close.
        }
    }
}
