package org.ticketledger.ledger.internal;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Currency;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.ticketledger.ledger.AccountCode;
import org.ticketledger.ledger.CanonicalForm;
import org.ticketledger.ledger.Entry;
import org.ticketledger.ledger.EntryKind;
import org.ticketledger.ledger.Hash;
import org.ticketledger.ledger.LedgerId;
import org.ticketledger.ledger.Money;
import org.ticketledger.ledger.Posting;
import org.ticketledger.ledger.Side;

/**
 * The entries of one in-memory ledger, column by column in chunked primitive arrays; an
 * {@link Entry} is rebuilt when it is read.
 *
 * <p>Why: a retained {@code Entry} is a graph of eight objects (~265 bytes: the record, its hash,
 * two postings, their list, the key string and its bytes, an instant), and with millions of them
 * every young collection copied what had just been written: the garbage collector, not the
 * journal, bounded the in-memory throughput. Here an entry costs ~130 bytes in arrays that the
 * collector neither traces nor copies piecemeal. Reads are rare next to writes in the in-memory
 * journal (lookups by key on a retry, references of holds and reversals, replays), and rebuilding
 * an entry costs about as much as the object it replaces did to allocate.
 *
 * <p>Types and account codes are few and repeat, so they are kept once each in a dictionary.
 * Metadata and hold expiries are rare and kept by sequence in maps. Not thread-safe: callers hold
 * the ledger's lock.
 */
public final class EntryColumns {

    private static final int SHIFT = 14;
    private static final int CHUNK = 1 << SHIFT;
    private static final int MASK = CHUNK - 1;
    private static final int POSTING_SHIFT = 15;
    private static final int POSTING_CHUNK = 1 << POSTING_SHIFT;
    private static final int KEY_SHIFT = 20;
    private static final int KEY_CHUNK = 1 << KEY_SHIFT;
    /** Entry.kind() by code, so a kind fits in a byte. */
    private static final EntryKind[] KINDS = EntryKind.values();

    private final LedgerId ledger;
    private final Currency currency;

    private int size;
    // Per entry (index = sequence - 1), in chunks of CHUNK entries.
    private long[][] hashWords = new long[0][];
    private long[][] recordedMicros = new long[0][];
    private long[][] effectiveMicros = new long[0][];
    /** 0 when the entry references nothing (sequences start at 1). */
    private long[][] references = new long[0][];
    /** Where the entry's postings start in the posting columns; they end where the next one's start. */
    private long[][] postingStarts = new long[0][];
    /** Position of the (ASCII) key in the key bytes, shifted left by 16, or'ed with its length. */
    private long[][] keyRefs = new long[0][];
    private int[][] typeIds = new int[0][];
    private byte[][] kindOrdinals = new byte[0][];

    private long postingCount;
    private long[][] postingAmounts = new long[0][];
    /** The account's dictionary id shifted left by one, or'ed with 1 for a credit. */
    private int[][] postingAccounts = new int[0][];

    private long keyBytesUsed;
    private byte[][] keyBytes = new byte[0][];

    private final List<AccountCode> accountCodes = new ArrayList<>();
    private final Map<AccountCode, Integer> accountIds = new HashMap<>();
    private final List<String> typeNames = new ArrayList<>();
    private final Map<String, Integer> typeIdsByName = new HashMap<>();
    private String lastType;
    private int lastTypeId;
    private final Map<Long, Instant> holdExpiries = new HashMap<>();
    private final Map<Long, Map<String, String>> metadata = new HashMap<>();

    private Hash lastHash = Hash.GENESIS;
    private Instant lastRecordedAt;

    public EntryColumns(LedgerId ledger, Currency currency) {
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.currency = Objects.requireNonNull(currency, "currency");
    }

    /** The number of entries, which is also the last sequence. */
    public int size() {
        return size;
    }

    public Hash lastHash() {
        return lastHash;
    }

    /** Recorded time of the last entry, or null before the first. */
    public Instant lastRecordedAt() {
        return lastRecordedAt;
    }

    /**
     * Appends the entry that continues this ledger. Everything is checked before anything is
     * written, so a refused entry leaves the columns as they were.
     */
    public void append(Entry e) {
        requireAppendable(e);
        appendChecked(e);
    }

    /**
     * Refuses, with {@link IllegalArgumentException} or {@link IllegalStateException}, an entry that
     * {@link #append} would refuse; changes nothing. For a caller that must update an index of its
     * own in between, so that neither is left holding an entry the other refused.
     */
    public void requireAppendable(Entry e) {
        if (!e.ledger().equals(ledger)) {
            throw new IllegalArgumentException("entry of ledger " + e.ledger() + " appended to " + ledger);
        }
        if (e.sequence() != size + 1L || !e.previousHash().equals(lastHash)) {
            throw new IllegalArgumentException("entry " + e.sequence() + " does not continue the ledger at " + size);
        }
        if (size == Integer.MAX_VALUE) {
            throw new IllegalStateException("in-memory ledger " + ledger + " is full");
        }
        for (Posting p : e.postings()) {
            if (!p.amount().currency().equals(currency)) {
                throw new IllegalArgumentException("posting in " + p.amount().currency() + " on a ledger in " + currency);
            }
        }
        String key = e.idempotencyKey();
        if (key.length() > 0xFFFF || !printableAscii(key)) {
            throw new IllegalArgumentException("idempotency key is not printable ASCII of at most 65,535 characters");
        }
        // Throws for an instant beyond the microsecond range, which the hash could not have encoded either.
        CanonicalForm.micros(e.recordedAt());
        CanonicalForm.micros(e.effectiveAt());
    }

    /** {@link #append} for an entry that {@link #requireAppendable} has accepted. */
    public void appendChecked(Entry e) {
        List<Posting> postings = e.postings();
        String key = e.idempotencyKey();
        long recorded = CanonicalForm.micros(e.recordedAt());
        long effective = CanonicalForm.micros(e.effectiveAt());

        int i = size;
        if ((i & MASK) == 0) {
            addEntryChunk(i >>> SHIFT);
        }
        int c = i >>> SHIFT;
        int o = i & MASK;
        Hash h = e.hash();
        long[] words = hashWords[c];
        words[4 * o] = h.w0();
        words[4 * o + 1] = h.w1();
        words[4 * o + 2] = h.w2();
        words[4 * o + 3] = h.w3();
        recordedMicros[c][o] = recorded;
        effectiveMicros[c][o] = effective;
        references[c][o] = e.reference().isPresent() ? e.reference().getAsLong() : 0;
        kindOrdinals[c][o] = (byte) e.kind().ordinal();
        typeIds[c][o] = typeId(e.type());
        keyRefs[c][o] = putKey(key) << 16 | key.length();
        postingStarts[c][o] = postingCount;
        for (Posting p : postings) {
            putPosting(p);
        }
        long sequence = e.sequence();
        e.holdExpiresAt().ifPresent(t -> holdExpiries.put(sequence, t));
        if (!e.metadata().isEmpty()) {
            metadata.put(sequence, e.metadata());
        }
        size = i + 1;
        lastHash = h;
        lastRecordedAt = e.recordedAt();
    }

    /** The entry at {@code sequence}, rebuilt, or null when there is none. */
    public Entry get(long sequence) {
        if (sequence < 1 || sequence > size) {
            return null;
        }
        int i = (int) (sequence - 1);
        int c = i >>> SHIFT;
        int o = i & MASK;
        long start = postingStarts[c][o];
        long end = sequence == size ? postingCount : postingStart(i + 1);
        Posting[] postings = new Posting[(int) (end - start)];
        for (int k = 0; k < postings.length; k++) {
            long p = start + k;
            int pc = (int) (p >>> POSTING_SHIFT);
            int po = (int) (p & (POSTING_CHUNK - 1));
            int account = postingAccounts[pc][po];
            postings[k] = new Posting(accountCodes.get(account >>> 1), (account & 1) == 0 ? Side.DEBIT : Side.CREDIT,
                    Money.of(postingAmounts[pc][po], currency));
        }
        long ref = references[c][o];
        long recorded = recordedMicros[c][o];
        long effective = effectiveMicros[c][o];
        Instant recordedAt = CanonicalForm.ofMicros(recorded);
        Instant effectiveAt = effective == recorded ? recordedAt : CanonicalForm.ofMicros(effective);
        Map<String, String> meta = metadata.get(sequence);
        return new Entry(ledger, sequence, KINDS[kindOrdinals[c][o]], key(i + 1), typeNames.get(typeIds[c][o]),
                Arrays.asList(postings), ref == 0 ? OptionalLong.empty() : OptionalLong.of(ref), effectiveAt, recordedAt,
                Optional.ofNullable(holdExpiries.get(sequence)), meta == null ? Map.of() : meta,
                i == 0 ? Hash.GENESIS : hash(i - 1), hash(i));
    }

    /** The entries from {@code fromSequence} (1-based), at most {@code limit} of them. */
    public List<Entry> range(long fromSequence, int limit) {
        long from = Math.max(1, fromSequence);
        long to = Math.min(size, from - 1 + (long) limit);
        List<Entry> out = new ArrayList<>((int) Math.max(0, to - from + 1));
        for (long s = from; s <= to; s++) {
            out.add(get(s));
        }
        return out;
    }

    /** The idempotency key of the entry at {@code sequence} (1..size). */
    public String key(int sequence) {
        int i = sequence - 1;
        long ref = keyRefs[i >>> SHIFT][i & MASK];
        long pos = ref >>> 16;
        return new String(keyBytes[(int) (pos >>> KEY_SHIFT)], (int) (pos & (KEY_CHUNK - 1)), (int) (ref & 0xFFFF),
                StandardCharsets.ISO_8859_1);
    }

    /** Recorded time of the entry at {@code sequence} (1..size) in microseconds since the epoch. */
    public long recordedMicros(long sequence) {
        int i = (int) (sequence - 1);
        return recordedMicros[i >>> SHIFT][i & MASK];
    }

    private Hash hash(int i) {
        long[] words = hashWords[i >>> SHIFT];
        int o = 4 * (i & MASK);
        return new Hash(words[o], words[o + 1], words[o + 2], words[o + 3]);
    }

    private long postingStart(int i) {
        return postingStarts[i >>> SHIFT][i & MASK];
    }

    private void addEntryChunk(int c) {
        hashWords = grow(hashWords, c, new long[4 * CHUNK]);
        recordedMicros = grow(recordedMicros, c, new long[CHUNK]);
        effectiveMicros = grow(effectiveMicros, c, new long[CHUNK]);
        references = grow(references, c, new long[CHUNK]);
        postingStarts = grow(postingStarts, c, new long[CHUNK]);
        keyRefs = grow(keyRefs, c, new long[CHUNK]);
        typeIds = grow(typeIds, c, new int[CHUNK]);
        kindOrdinals = grow(kindOrdinals, c, new byte[CHUNK]);
    }

    private static <T> T[] grow(T[] chunks, int index, T chunk) {
        T[] out = chunks.length > index ? chunks : Arrays.copyOf(chunks, Math.max(4, 2 * chunks.length));
        out[index] = chunk;
        return out;
    }

    private int typeId(String type) {
        // Callers mostly pass the same few constants: an identity check skips the hash lookup.
        if (type == lastType) {
            return lastTypeId;
        }
        Integer id = typeIdsByName.get(type);
        if (id == null) {
            id = typeNames.size();
            typeNames.add(type);
            typeIdsByName.put(type, id);
        }
        lastType = type;
        lastTypeId = id;
        return id;
    }

    private void putPosting(Posting p) {
        Integer id = accountIds.get(p.account());
        if (id == null) {
            id = accountCodes.size();
            accountCodes.add(p.account());
            accountIds.put(p.account(), id);
        }
        long n = postingCount;
        int c = (int) (n >>> POSTING_SHIFT);
        int o = (int) (n & (POSTING_CHUNK - 1));
        if (o == 0) {
            postingAmounts = grow(postingAmounts, c, new long[POSTING_CHUNK]);
            postingAccounts = grow(postingAccounts, c, new int[POSTING_CHUNK]);
        }
        postingAmounts[c][o] = p.amount().minor();
        postingAccounts[c][o] = id << 1 | (p.side() == Side.CREDIT ? 1 : 0);
        postingCount = n + 1;
    }

    /** Idempotency keys are printable ASCII ({@code EntryRequest} checks), so a char is a byte. */
    private static boolean printableAscii(String key) {
        for (int i = 0; i < key.length(); i++) {
            char ch = key.charAt(i);
            if (ch <= ' ' || ch > '~') {
                return false;
            }
        }
        return true;
    }

    /** Copies the key into the key bytes (never across two chunks) and returns its position. */
    @SuppressWarnings("deprecation") // the char-to-byte copy without a temporary array, exact for ASCII
    private long putKey(String key) {
        long pos = keyBytesUsed;
        int c = (int) (pos >>> KEY_SHIFT);
        int o = (int) (pos & (KEY_CHUNK - 1));
        int length = key.length();
        if (o + length > KEY_CHUNK) {
            c++;
            o = 0;
            pos = (long) c << KEY_SHIFT;
        }
        if (c >= keyBytes.length || keyBytes[c] == null) {
            keyBytes = grow(keyBytes, c, new byte[KEY_CHUNK]);
        }
        key.getBytes(0, length, keyBytes[c], o);
        keyBytesUsed = pos + length;
        return pos;
    }
}
