package org.ticketledger.cli.internal.journal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;
import java.io.InputStream;
import java.util.Currency;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.ticketledger.cli.UnableToReadJournalFileException;
import org.ticketledger.ledger.Account;
import org.ticketledger.ledger.AccountCode;
import org.ticketledger.ledger.AccountType;
import org.ticketledger.ledger.Balance;
import org.ticketledger.ledger.BalancePolicy;
import org.ticketledger.ledger.Entry;
import org.ticketledger.ledger.Hash;
import org.ticketledger.ledger.Ledger;
import org.ticketledger.ledger.LedgerId;
import org.ticketledger.ledger.Money;

/**
 * Reads a JSON Lines export and streams it into a {@link JournalVisitor}.
 *
 * <p>Strict by design: records must come in export order (ledgers, accounts, entries, balances),
 * fields in the documented order, and every line must be spelled exactly as
 * {@link JsonLinesWriter} spells its content (checked by re-encoding the parsed line and comparing
 * bytes). So a line either reads back as the very content that was exported, or its content
 * changed (and the hash chain says where), or it is refused here with its line number. Anything
 * refused throws {@link UnableToReadJournalFileException}.
 *
 * <p>Entry lines are parsed straight from their bytes (the other, rare lines with Jackson's streaming parser), so
 * the reader keeps up with hashing. Not thread-safe; one reader per file.
 */
public final class JsonLinesReader {

    private static final int MAX_LINE = 16 * 1024 * 1024;
    private static final byte[] ENTRY_START = "{\"record\":\"entry\",".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final int PHASE_LEDGERS = 0;
    private static final int PHASE_ACCOUNTS = 1;
    private static final int PHASE_ENTRIES = 2;
    private static final int PHASE_BALANCES = 3;

    private final JsonFactory json = JsonFactory.builder()
            .disable(StreamReadFeature.AUTO_CLOSE_SOURCE)
            .build();
    private final LineBuffer reencoded = new LineBuffer();
    private final Map<LedgerId, Ledger> ledgers = new HashMap<>();
    private final Map<LedgerId, Map<AccountCode, Account>> accounts = new HashMap<>();
    private final Map<LedgerId, Set<AccountCode>> balancesSeen = new HashMap<>();
    /** Account codes repeat on every line; validating each once saves a regex per posting. */
    private final Map<String, AccountCode> codes = new HashMap<>();
    private final Map<String, Currency> currencies = new HashMap<>();
    private final Progress progress;
    private final EntryLineParser entries = new EntryLineParser(ledgers);
    private int phase = PHASE_LEDGERS;
    private long declaredEntries;
    private boolean progressStarted;
    private long lineNumber;

    /** A reader that reports each entry to {@code progress}. */
    public JsonLinesReader(Progress progress) {
        this.progress = Objects.requireNonNull(progress, "progress");
    }

    /**
     * Reads the whole stream into {@code visitor} (ending with {@link JournalVisitor#end()}). The
     * caller closes {@code in}.
     *
     * @throws UnableToReadJournalFileException for a line that is not a valid export line, or an I/O failure
     */
    public void read(InputStream in, JournalVisitor visitor) {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(visitor, "visitor");
        byte[] buf = new byte[1 << 20];
        int start = 0;
        int end = 0;
        int scanned = 0;
        long pending = 0;
        try {
            while (true) {
                int nl = indexOfNewline(buf, scanned, end);
                if (nl >= 0) {
                    lineNumber++;
                    if (line(buf, start, nl, visitor)) {
                        if (++pending == 4096) {
                            progress.advance(pending);
                            pending = 0;
                        }
                    }
                    start = nl + 1;
                    scanned = start;
                    continue;
                }
                scanned = end;
                // No line end in the buffer: move the partial line to the front, grow if it is long, refill.
                if (start > 0) {
                    System.arraycopy(buf, start, buf, 0, end - start);
                    end -= start;
                    scanned -= start;
                    start = 0;
                }
                if (end == buf.length) {
                    if (buf.length >= MAX_LINE) {
                        throw new UnableToReadJournalFileException(lineNumber + 1, "line longer than " + MAX_LINE + " bytes");
                    }
                    buf = java.util.Arrays.copyOf(buf, buf.length * 2);
                }
                int n = in.read(buf, end, buf.length - end);
                if (n < 0) {
                    if (end > start) {
                        throw new UnableToReadJournalFileException(lineNumber + 1,
                                "the last line has no line end: the file is truncated or was edited");
                    }
                    break;
                }
                end += n;
            }
        } catch (IOException e) {
            throw new UnableToReadJournalFileException("cannot read the journal file: " + e.getMessage(), e);
        }
        progress.advance(pending);
        checkBalancesComplete();
        visitor.end();
    }

    private static final java.lang.invoke.VarHandle LONGS =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

    /** The first '\n' in {@code b[from, to)}, or -1; eight bytes at a time, as lines are long. */
    static int indexOfNewline(byte[] b, int from, int to) {
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long w = (long) LONGS.get(b, i) ^ 0x0A0A0A0A0A0A0A0AL;
            long zero = (w - 0x0101010101010101L) & ~w & 0x8080808080808080L;
            if (zero != 0) {
                // The lowest flagged byte is exact (false flags only appear above a true zero byte).
                return i + (Long.numberOfTrailingZeros(zero) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** The number of lines read so far (the current line while a visitor call is running). */
    public long lineNumber() {
        return lineNumber;
    }

    /** Parses one line and hands it on; returns whether it was an entry. */
    private boolean line(byte[] buf, int from, int to, JournalVisitor visitor) {
        Object record = parse(buf, from, to);
        if (record instanceof LedgerHead head) {
            declaredEntries += head.expectedEntries();
        } else if (!progressStarted) {
            progressStarted = true;
            progress.start("entries", declaredEntries);
        }
        // Visitors run outside the parser's error handling: their failures are not the file's.
        if (record instanceof Entry entry) {
            visitor.entry(entry, lineNumber);
            return true;
        }
        if (record instanceof LedgerHead head) {
            visitor.ledger(head);
        } else if (record instanceof Account account) {
            visitor.account(account);
        } else {
            StoredBalance b = (StoredBalance) record;
            visitor.balance(b.ledger, b.balance);
        }
        return false;
    }

    private Object parse(byte[] buf, int from, int to) {
        if (to == from || buf[from] != '{') {
            throw corrupt("not a JSON object (export lines start with '{')");
        }
        if (startsWith(buf, from, to, ENTRY_START)) {
            // The hot path: entry lines are parsed from their bytes by a parser that accepts only the canonical spelling.
            requirePhase(PHASE_ENTRIES, "entry");
            try {
                return entries.parse(buf, from, to);
            } catch (IllegalArgumentException | ArithmeticException e) {
                throw corrupt(e.getMessage());
            }
        }
        try (JsonParser p = json.createParser(buf, from, to - from)) {
            expect(p, JsonToken.START_OBJECT);
            String record = stringField(p, "record");
            switch (record) {
                case "ledger": {
                    requirePhase(PHASE_LEDGERS, record);
                    LedgerHead head = ledgerLine(p);
                    finish(p, buf, from, to, () -> ExportEncoding.ledger(head, reencoded));
                    if (ledgers.putIfAbsent(head.ledger().id(), head.ledger()) != null) {
                        throw corrupt("ledger " + head.ledger().id() + " is declared twice");
                    }
                    accounts.put(head.ledger().id(), new HashMap<>());
                    balancesSeen.put(head.ledger().id(), new HashSet<>());
                    return head;
                }
                case "account": {
                    requirePhase(PHASE_ACCOUNTS, record);
                    Account account = accountLine(p);
                    finish(p, buf, from, to, () -> ExportEncoding.account(account, reencoded));
                    if (accounts.get(account.ledger()).putIfAbsent(account.code(), account) != null) {
                        throw corrupt("account " + account.code() + " is declared twice");
                    }
                    return account;
                }
                case "balance": {
                    requirePhase(PHASE_BALANCES, record);
                    StoredBalance b = balanceLine(p);
                    finish(p, buf, from, to, () -> ExportEncoding.balance(b.ledger, b.balance, reencoded));
                    if (!balancesSeen.get(b.ledger).add(b.balance.account())) {
                        throw corrupt("two balance lines for account " + b.balance.account());
                    }
                    return b;
                }
                default:
                    throw corrupt("unknown record type \"" + record + "\"");
            }
        } catch (IOException e) {
            // Jackson's message carries a column; the line number is ours.
            throw corrupt("not valid JSON: " + firstLine(e.getMessage()));
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw corrupt(e.getMessage());
        }
    }

    private static boolean startsWith(byte[] buf, int from, int to, byte[] prefix) {
        return to - from >= prefix.length && java.util.Arrays.equals(buf, from, from + prefix.length, prefix, 0, prefix.length);
    }

    private record StoredBalance(LedgerId ledger, Balance balance) {
    }

    private LedgerHead ledgerLine(JsonParser p) throws IOException {
        LedgerId id = LedgerId.of(stringField(p, "ledger"));
        Currency currency = currency(stringField(p, "currency"));
        long first = longField(p, "firstSequence");
        long last = longField(p, "lastSequence");
        Hash hash = hash(stringField(p, "lastHash"));
        return new LedgerHead(new Ledger(id, currency), first, last, hash);
    }

    private Account accountLine(JsonParser p) throws IOException {
        LedgerId ledger = declared(stringField(p, "ledger"));
        AccountCode code = code(stringField(p, "code"));
        AccountType type = AccountType.valueOf(stringField(p, "type"));
        BalancePolicy policy = BalancePolicy.valueOf(stringField(p, "policy"));
        field(p, "metadata");
        Map<String, String> metadata = metadata(p);
        return new Account(ledger, code, type, policy, metadata);
    }

    private StoredBalance balanceLine(JsonParser p) throws IOException {
        LedgerId ledger = declared(stringField(p, "ledger"));
        AccountCode code = code(stringField(p, "account"));
        Account account = accounts.get(ledger).get(code);
        if (account == null) {
            throw new IllegalArgumentException("balance of account " + code + " which is not declared in ledger " + ledger);
        }
        Currency currency = ledgers.get(ledger).currency();
        long dp = Money.parse(stringField(p, "debitsPosted"), currency).minor();
        long cp = Money.parse(stringField(p, "creditsPosted"), currency).minor();
        long dpe = Money.parse(stringField(p, "debitsPending"), currency).minor();
        long cpe = Money.parse(stringField(p, "creditsPending"), currency).minor();
        return new StoredBalance(ledger, new Balance(code, account.type(), currency, dp, cp, dpe, cpe));
    }

    private Map<String, String> metadata(JsonParser p) throws IOException {
        expect(p, JsonToken.START_OBJECT);
        Map<String, String> out = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String k = p.currentName();
            String v = stringValue(p);
            if (out == null) {
                out = new TreeMap<>();
            }
            if (out.put(k, v) != null) {
                throw new IllegalArgumentException("metadata key \"" + k + "\" appears twice");
            }
        }
        if (p.currentToken() != JsonToken.END_OBJECT) {
            throw new IllegalArgumentException("metadata must be an object of strings");
        }
        return out == null ? Map.of() : out;
    }

    /** Checks the end of the object and of the line, then that the line is spelled canonically. */
    private void finish(JsonParser p, byte[] buf, int from, int to, Runnable encode) throws IOException {
        expectNext(p, JsonToken.END_OBJECT);
        if (p.nextToken() != null) {
            throw corrupt("more than one JSON value on the line");
        }
        encode.run();
        if (!reencoded.sameAs(buf, from, to)) {
            throw corrupt("the line is not spelled as the export writes it (field order, spacing, escapes or"
                    + " number form changed)");
        }
    }

    private void requirePhase(int wanted, String record) {
        if (wanted < phase) {
            throw corrupt("a " + record + " record after the " + phaseName(phase) + " records: the export order is"
                    + " ledgers, accounts, entries, balances");
        }
        phase = wanted;
    }

    private static String phaseName(int phase) {
        return switch (phase) {
            case PHASE_LEDGERS -> "ledger";
            case PHASE_ACCOUNTS -> "account";
            case PHASE_ENTRIES -> "entry";
            default -> "balance";
        };
    }

    private void checkBalancesComplete() {
        // A whole export lists a balance for every account; one that lists any must list all.
        for (Map.Entry<LedgerId, Set<AccountCode>> e : balancesSeen.entrySet()) {
            Set<AccountCode> seen = e.getValue();
            if (!seen.isEmpty() && seen.size() != accounts.get(e.getKey()).size()) {
                for (AccountCode code : accounts.get(e.getKey()).keySet()) {
                    if (!seen.contains(code)) {
                        throw new UnableToReadJournalFileException(lineNumber, "ledger " + e.getKey()
                                + ": no balance line for account " + code + " (balance lines were removed?)");
                    }
                }
            }
        }
    }

    private LedgerId declared(String value) {
        LedgerId id = LedgerId.of(value);
        if (!ledgers.containsKey(id)) {
            throw new IllegalArgumentException("ledger " + id + " is not declared by a ledger line");
        }
        return id;
    }

    private AccountCode code(String value) {
        AccountCode c = codes.get(value);
        if (c == null) {
            c = AccountCode.of(value);
            codes.put(value, c);
        }
        return c;
    }

    private Currency currency(String value) {
        Currency c = currencies.get(value);
        if (c == null) {
            if (value.length() != 3) {
                throw new IllegalArgumentException("not an ISO 4217 currency: \"" + value + "\"");
            }
            c = Currency.getInstance(value);
            currencies.put(value, c);
        }
        return c;
    }

    private static Hash hash(String hex) {
        if (hex.length() != 64) {
            throw new IllegalArgumentException("a hash has 64 hex digits, got " + hex.length());
        }
        for (int i = 0; i < 64; i++) {
            char c = hex.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                throw new IllegalArgumentException("a hash is 64 lower-case hex digits: \"" + hex + "\"");
            }
        }
        return Hash.ofHex(hex);
    }

    private static void field(JsonParser p, String name) throws IOException {
        if (p.nextToken() != JsonToken.FIELD_NAME || !name.equals(p.currentName())) {
            throw new IllegalArgumentException("expected field \"" + name + "\" at column " + column(p));
        }
    }

    private static String stringField(JsonParser p, String name) throws IOException {
        field(p, name);
        return stringValue(p);
    }

    private static long longField(JsonParser p, String name) throws IOException {
        field(p, name);
        p.nextToken();
        return longValue(p);
    }

    /** The string value after a field name. */
    private static String stringValue(JsonParser p) throws IOException {
        if (p.nextToken() != JsonToken.VALUE_STRING) {
            throw new IllegalArgumentException("expected a string at column " + column(p));
        }
        return p.getText();
    }

    private static long longValue(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
            throw new IllegalArgumentException("expected an integer at column " + column(p));
        }
        return p.getLongValue();
    }

    private static void expect(JsonParser p, JsonToken token) throws IOException {
        expectNext(p, token);
    }

    private static void expectNext(JsonParser p, JsonToken token) throws IOException {
        if (p.nextToken() != token) {
            throw new IllegalArgumentException("expected " + token + " at column " + column(p));
        }
    }

    private static long column(JsonParser p) {
        return p.currentLocation().getColumnNr();
    }

    private UnableToReadJournalFileException corrupt(String why) {
        return new UnableToReadJournalFileException(lineNumber, why);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
