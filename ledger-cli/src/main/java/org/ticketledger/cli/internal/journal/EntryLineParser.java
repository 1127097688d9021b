package org.ticketledger.cli.internal.journal;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import org.ticketledger.ledger.AccountCode;
import org.ticketledger.ledger.Entry;
import org.ticketledger.ledger.EntryKind;
import org.ticketledger.ledger.Hash;
import org.ticketledger.ledger.Ledger;
import org.ticketledger.ledger.LedgerId;
import org.ticketledger.ledger.Money;
import org.ticketledger.ledger.Posting;
import org.ticketledger.ledger.Side;

/**
 * Parses an entry line by walking the one spelling {@link ExportEncoding#entry} writes: the literal
 * punctuation and field names, then each value in its canonical form (strings with only the
 * writer's escapes and valid shortest-form UTF-8, integers without leading zeros, lower-case hex,
 * the fixed time layout, amounts with exactly the currency's decimals, metadata keys in strictly
 * increasing order). Anything else is refused with {@link IllegalArgumentException}. So a line
 * parses only if it is byte for byte what the writer would write for the parsed entry.
 *
 * <p>This is the file verifier's hot path; it works on the raw bytes and allocates little (strings
 * it must produce, and account codes and ledgers are looked up by their bytes). Not thread-safe.
 */
final class EntryLineParser {

    private static final byte[] START = ascii("{\"record\":\"entry\",\"ledger\":\"");
    private static final byte[] SEQUENCE = ascii("\",\"sequence\":");
    private static final byte[] KIND = ascii(",\"kind\":\"");
    private static final byte[] KEY = ascii("\",\"key\":\"");
    private static final byte[] TYPE = ascii("\",\"type\":\"");
    private static final byte[] REFERENCE = ascii("\",\"reference\":");
    private static final byte[] EFFECTIVE = ascii(",\"effectiveAt\":\"");
    private static final byte[] RECORDED = ascii("\",\"recordedAt\":\"");
    private static final byte[] EXPIRES = ascii("\",\"holdExpiresAt\":");
    private static final byte[] POSTINGS = ascii(",\"postings\":[");
    private static final byte[] ACCOUNT = ascii("{\"account\":\"");
    private static final byte[] SIDE = ascii("\",\"side\":\"");
    private static final byte[] CURRENCY = ascii("\",\"currency\":\"");
    private static final byte[] AMOUNT = ascii("\",\"amount\":\"");
    private static final byte[] POSTING_END = ascii("\"}");
    private static final byte[] METADATA = ascii("],\"metadata\":{");
    private static final byte[] PREVIOUS = ascii(",\"previousHash\":\"");
    private static final byte[] HASH = ascii("\",\"hash\":\"");
    private static final byte[] END = ascii("\"}");
    private static final byte[] NULL = ascii("null");
    /** Hex digit values by unsigned byte; -1 for anything but 0-9 and a-f. */
    private static final int[] HEX = new int[256];
    private static final EntryKind[] KINDS = EntryKind.values();
    private static final byte[][] KIND_NAMES = new byte[KINDS.length][];

    static {
        Arrays.fill(HEX, -1);
        for (int i = 0; i < 10; i++) {
            HEX['0' + i] = i;
        }
        for (int i = 0; i < 6; i++) {
            HEX['a' + i] = 10 + i;
        }
        for (int i = 0; i < KINDS.length; i++) {
            KIND_NAMES[i] = ascii(KINDS[i].name());
        }
    }

    private final Map<LedgerId, Ledger> ledgers;
    private final BytesTable<Ledger> ledgersByBytes = new BytesTable<>();
    private final BytesTable<AccountCode> codes = new BytesTable<>();
    private final BytesTable<Currency> currencies = new BytesTable<>();
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    private final StringBuilder text = new StringBuilder(64);
    private byte[] b;
    private int p;
    private int end;

    /** @param ledgers the declared ledgers, which entry lines must name */
    EntryLineParser(Map<LedgerId, Ledger> ledgers) {
        this.ledgers = ledgers;
    }

    /** Parses {@code line[from, to)}, which holds no line end. */
    Entry parse(byte[] line, int from, int to) {
        b = line;
        p = from;
        end = to;
        expect(START);
        Ledger ledger = ledger();
        expect(SEQUENCE);
        long sequence = positiveLong();
        expect(KIND);
        EntryKind kind = kind();
        expect(KEY);
        String key = string();
        expect(TYPE);
        String type = string();
        expect(REFERENCE);
        OptionalLong reference = OptionalLong.empty();
        if (!tryExpect(NULL)) {
            reference = OptionalLong.of(positiveLong());
        }
        expect(EFFECTIVE);
        Instant effectiveAt = timestamp();
        expect(RECORDED);
        Instant recordedAt = timestamp();
        expect(EXPIRES);
        Optional<Instant> expiresAt = Optional.empty();
        if (!tryExpect(NULL)) {
            expectByte('"');
            expiresAt = Optional.of(timestamp());
            expectByte('"');
        }
        expect(POSTINGS);
        List<Posting> postings = new ArrayList<>(4);
        if (peek() != ']') {
            do {
                postings.add(posting());
            } while (tryByte(','));
        }
        expect(METADATA);
        Map<String, String> metadata = Map.of();
        if (peek() != '}') {
            TreeMap<String, String> m = new TreeMap<>();
            String last = null;
            do {
                expectByte('"');
                String k = string();
                expectByte('"');
                expectByte(':');
                expectByte('"');
                String v = string();
                expectByte('"');
                if (last != null && k.compareTo(last) <= 0) {
                    throw new IllegalArgumentException("metadata keys out of order at column " + column());
                }
                last = k;
                m.put(k, v);
            } while (tryByte(','));
            metadata = m;
        }
        expectByte('}');
        expect(PREVIOUS);
        Hash previous = hash();
        expect(HASH);
        Hash hash = hash();
        expect(END);
        if (p != end) {
            throw new IllegalArgumentException("unexpected text after the entry at column " + column());
        }
        return new Entry(ledger.id(), sequence, kind, key, type, postings, reference, effectiveAt, recordedAt, expiresAt,
                metadata, previous, hash);
    }

    private Posting posting() {
        expect(ACCOUNT);
        int s = p;
        int e = stringEnd();
        AccountCode code = codes.get(b, s, e);
        if (code == null) {
            code = AccountCode.of(new String(b, s, e - s, StandardCharsets.ISO_8859_1));
            codes.put(b, s, e, code);
        }
        expect(SIDE);
        Side side;
        if (tryByte('D')) {
            side = Side.DEBIT;
        } else if (tryByte('C')) {
            side = Side.CREDIT;
        } else {
            throw new IllegalArgumentException("side must be \"D\" or \"C\" at column " + column());
        }
        expect(CURRENCY);
        int cs = p;
        int ce = stringEnd();
        Currency currency = currencies.get(b, cs, ce);
        if (currency == null) {
            if (ce - cs != 3) {
                throw new IllegalArgumentException("not an ISO 4217 currency code at column " + (cs + 1));
            }
            currency = Currency.getInstance(new String(b, cs, 3, StandardCharsets.ISO_8859_1));
            currencies.put(b, cs, ce, currency);
        }
        expect(AMOUNT);
        long minor = amount(currency.getDefaultFractionDigits());
        expect(POSTING_END);
        return new Posting(code, side, Money.of(minor, currency));
    }

    /** A positive amount with exactly {@code scale} decimals and no superfluous leading zero. */
    private long amount(int scale) {
        int start = p;
        long v = 0;
        int intDigits = 0;
        while (p < end && b[p] >= '0' && b[p] <= '9') {
            v = Math.addExact(Math.multiplyExact(v, 10), b[p++] - '0');
            intDigits++;
        }
        if (intDigits == 0 || (intDigits > 1 && b[start] == '0')) {
            throw new IllegalArgumentException("not a canonical amount at column " + (start + 1));
        }
        if (scale > 0) {
            expectByte('.');
            for (int i = 0; i < scale; i++) {
                if (p >= end || b[p] < '0' || b[p] > '9') {
                    throw new IllegalArgumentException("an amount needs exactly " + scale + " decimals at column " + (start + 1));
                }
                v = Math.addExact(Math.multiplyExact(v, 10), b[p++] - '0');
            }
        }
        return v;
    }

    private Ledger ledger() {
        int s = p;
        int e = stringEnd();
        Ledger l = ledgersByBytes.get(b, s, e);
        if (l == null) {
            LedgerId id = LedgerId.of(new String(b, s, e - s, StandardCharsets.ISO_8859_1));
            l = ledgers.get(id);
            if (l == null) {
                throw new IllegalArgumentException("ledger " + id + " is not declared by a ledger line");
            }
            ledgersByBytes.put(b, s, e, l);
        }
        return l;
    }

    private EntryKind kind() {
        for (int i = 0; i < KINDS.length; i++) {
            byte[] name = KIND_NAMES[i];
            if (p + name.length < end && b[p + name.length] == '"' && Arrays.equals(b, p, p + name.length, name, 0, name.length)) {
                p += name.length;
                return KINDS[i];
            }
        }
        throw new IllegalArgumentException("unknown entry kind at column " + column());
    }

    /** Digits without a leading zero, at least 1. */
    private long positiveLong() {
        int start = p;
        long v = 0;
        while (p < end && b[p] >= '0' && b[p] <= '9') {
            v = Math.addExact(Math.multiplyExact(v, 10), b[p++] - '0');
        }
        if (p == start || b[start] == '0') {
            throw new IllegalArgumentException("expected a positive integer at column " + (start + 1));
        }
        return v;
    }

    private Hash hash() {
        if (p + 64 > end) {
            throw new IllegalArgumentException("a hash has 64 hex digits, at column " + column());
        }
        long w0 = hexWord();
        long w1 = hexWord();
        long w2 = hexWord();
        long w3 = hexWord();
        return new Hash(w0, w1, w2, w3);
    }

    private long hexWord() {
        long w = 0;
        for (int i = 0; i < 16; i++) {
            int d = HEX[b[p] & 0xFF];
            if (d < 0) {
                throw new IllegalArgumentException("a hash is 64 lower-case hex digits, at column " + column());
            }
            w = w << 4 | d;
            p++;
        }
        return w;
    }

    private Instant timestamp() {
        if (p + Timestamps.LENGTH > end) {
            throw new IllegalArgumentException("truncated time at column " + column());
        }
        int s = p;
        if (b[s + 4] != '-' || b[s + 7] != '-' || b[s + 10] != 'T' || b[s + 13] != ':' || b[s + 16] != ':'
                || b[s + 19] != '.' || b[s + 26] != 'Z') {
            throw new IllegalArgumentException("not a time in the form 2026-11-26T02:00:00.000000Z at column " + (s + 1));
        }
        int year = digits(s, 4);
        int month = digits(s + 5, 2);
        int day = digits(s + 8, 2);
        int hour = digits(s + 11, 2);
        int minute = digits(s + 14, 2);
        int second = digits(s + 17, 2);
        int micros = digits(s + 20, 6);
        if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month) || hour > 23 || minute > 59 || second > 59) {
            throw new IllegalArgumentException("not a valid time at column " + (s + 1));
        }
        p += Timestamps.LENGTH;
        long epochSecond = epochDay(year, month, day) * 86_400L + hour * 3600L + minute * 60L + second;
        return Instant.ofEpochSecond(epochSecond, micros * 1_000L);
    }

    private int digits(int at, int n) {
        int v = 0;
        for (int i = at; i < at + n; i++) {
            int c = b[i] - '0';
            if (c < 0 || c > 9) {
                throw new IllegalArgumentException("not a time in the form 2026-11-26T02:00:00.000000Z at column " + (at + 1));
            }
            v = v * 10 + c;
        }
        return v;
    }

    private static int daysIn(int year, int month) {
        switch (month) {
            case 2:
                return (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
            case 4:
            case 6:
            case 9:
            case 11:
                return 30;
            default:
                return 31;
        }
    }

    /** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
    private static long epochDay(int year, int month, int day) {
        long y = month <= 2 ? year - 1 : year;
        long era = Math.floorDiv(y, 400);
        long yoe = y - era * 400;
        long doy = (153L * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
        long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146_097 + doe - 719_468;
    }

    /**
     * A string body up to (not including) its closing quote, decoded. Accepts exactly the writer's
     * spelling: raw bytes from 0x20 up except '"' and '\\', the escapes \" and \\, and &#92;u00xx
     * (lower-case hex) for control characters only, as valid shortest-form UTF-8.
     */
    private String string() {
        int s = p;
        boolean plain = true;
        while (p < end) {
            int c = b[p];
            if (c == '"') {
                break;
            }
            if (c < 0x20 || c == '\\') {
                // Negative bytes (non-ASCII) are in range below 0x20 as signed values; handled by the slow path.
                plain = false;
                break;
            }
            p++;
        }
        if (plain) {
            if (p >= end) {
                throw new IllegalArgumentException("unterminated string at column " + (s + 1));
            }
            return new String(b, s, p - s, StandardCharsets.ISO_8859_1);
        }
        p = s;
        return slowString();
    }

    private String slowString() {
        int s = p;
        int runStart = p;
        text.setLength(0);
        while (true) {
            if (p >= end) {
                throw new IllegalArgumentException("unterminated string at column " + (s + 1));
            }
            int c = b[p] & 0xFF;
            if (c == '"') {
                decodeRun(runStart, p);
                return text.toString();
            }
            if (c == '\\') {
                decodeRun(runStart, p);
                if (p + 1 >= end) {
                    throw new IllegalArgumentException("truncated escape at column " + (p + 1));
                }
                int n = b[p + 1];
                if (n == '"' || n == '\\') {
                    text.append((char) n);
                    p += 2;
                } else if (n == 'u' && p + 6 <= end && b[p + 2] == '0' && b[p + 3] == '0') {
                    int hi = hexDigit(b[p + 4]);
                    int lo = hexDigit(b[p + 5]);
                    if (hi < 0 || lo < 0 || hi > 1) {
                        throw new IllegalArgumentException("escape not in the export's form at column " + (p + 1));
                    }
                    text.append((char) (hi << 4 | lo));
                    p += 6;
                } else {
                    throw new IllegalArgumentException("escape not in the export's form at column " + (p + 1));
                }
                runStart = p;
                continue;
            }
            if (c < 0x20) {
                throw new IllegalArgumentException("raw control character in a string at column " + (p + 1));
            }
            p++;
        }
    }

    private static int hexDigit(byte c) {
        return HEX[c & 0xFF];
    }

    /** Appends {@code b[from, to)} decoded as strict UTF-8 (no overlong forms, no surrogates). */
    private void decodeRun(int from, int to) {
        if (from == to) {
            return;
        }
        boolean ascii = true;
        for (int i = from; i < to; i++) {
            if (b[i] < 0) {
                ascii = false;
                break;
            }
        }
        if (ascii) {
            for (int i = from; i < to; i++) {
                text.append((char) b[i]);
            }
            return;
        }
        try {
            CharBuffer chars = utf8.reset().decode(ByteBuffer.wrap(b, from, to - from));
            text.append(chars);
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("not valid UTF-8 at column " + (from + 1), e);
        }
    }

    /** Moves past a plain ASCII string body and returns its end (the closing quote, not consumed). */
    private int stringEnd() {
        int s = p;
        while (p < end && b[p] != '"') {
            if (b[p] < 0x20 || b[p] == '\\') {
                throw new IllegalArgumentException("unexpected character in a code at column " + (p + 1));
            }
            p++;
        }
        if (p >= end) {
            throw new IllegalArgumentException("unterminated string at column " + (s + 1));
        }
        return p;
    }

    private int peek() {
        if (p >= end) {
            throw new IllegalArgumentException("the line ends too early");
        }
        return b[p];
    }

    private void expect(byte[] literal) {
        if (!tryExpect(literal)) {
            throw new IllegalArgumentException("not in the export's form at column " + column()
                    + " (expected " + new String(literal, StandardCharsets.US_ASCII) + ")");
        }
    }

    private boolean tryExpect(byte[] literal) {
        int n = literal.length;
        if (p + n > end) {
            return false;
        }
        // A plain loop: the literals are short, and this beats the vectorised compare's set-up.
        for (int i = 0; i < n; i++) {
            if (b[p + i] != literal[i]) {
                return false;
            }
        }
        p += n;
        return true;
    }

    private void expectByte(char c) {
        if (!tryByte(c)) {
            throw new IllegalArgumentException("expected '" + c + "' at column " + column());
        }
    }

    private boolean tryByte(char c) {
        if (p < end && b[p] == c) {
            p++;
            return true;
        }
        return false;
    }

    private int column() {
        return p + 1;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** A small open-addressing table from byte strings to values, so lookups need no String. */
    private static final class BytesTable<V> {
        private byte[][] keys = new byte[64][];
        private Object[] values = new Object[64];
        private int size;

        @SuppressWarnings("unchecked")
        V get(byte[] b, int from, int to) {
            int mask = keys.length - 1;
            for (int i = hash(b, from, to) & mask; ; i = (i + 1) & mask) {
                byte[] k = keys[i];
                if (k == null) {
                    return null;
                }
                if (Arrays.equals(k, 0, k.length, b, from, to)) {
                    return (V) values[i];
                }
            }
        }

        void put(byte[] b, int from, int to, V value) {
            if (size * 2 >= keys.length) {
                grow();
            }
            insert(Arrays.copyOfRange(b, from, to), value);
            size++;
        }

        private void insert(byte[] key, Object value) {
            int mask = keys.length - 1;
            int i = hash(key, 0, key.length) & mask;
            while (keys[i] != null) {
                i = (i + 1) & mask;
            }
            keys[i] = key;
            values[i] = value;
        }

        private void grow() {
            byte[][] oldKeys = keys;
            Object[] oldValues = values;
            keys = new byte[oldKeys.length * 2][];
            values = new Object[oldKeys.length * 2];
            for (int i = 0; i < oldKeys.length; i++) {
                if (oldKeys[i] != null) {
                    insert(oldKeys[i], oldValues[i]);
                }
            }
        }

        private static int hash(byte[] b, int from, int to) {
            int h = 1;
            for (int i = from; i < to; i++) {
                h = 31 * h + b[i];
            }
            return h ^ (h >>> 16);
        }
    }
}
