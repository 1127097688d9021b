package org.ticketledger.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class CanonicalFormTest {

    /** Produced by src/test/resources/canonical_vector.py, an independent implementation of JOURNAL-FORMAT.md. */
    static final String VECTOR_CANONICAL_HEX = "544c45310000000c706c6174666f726d2d636e79000000000000000101000000136f726465723a6f2d313a636f6c6c65637465640000000869737375616e63650000000000000000000661244d13ca40000661244d13ca400000030000001a706c6174666f726d3a616c697061793a736574746c656d656e7444434e590000000000002774000000127469636b6574733a756e72656465656d656443434e59000000000000271000000014726576656e75653a69737375616e63652d66656543434e5900000000000000640002000000056f72646572000000036f2d31000000067469636b657400000003542d31";
    static final String VECTOR_HASH_HEX = "751636424acb3476844e36dfcdddea1cb0d8f3174400df969be893c48d41900f";

    static Entry vectorEntry(Hash hash) {
        Instant t = Instant.parse("2026-11-26T02:00:00.123456Z");
        return new Entry(LedgerId.of("platform-cny"), 1, EntryKind.STANDARD, "order:o-1:collected", "issuance",
                List.of(Posting.debit(AccountCode.of("platform:alipay:settlement"), Money.cny(10100)),
                        Posting.credit(AccountCode.of("tickets:unredeemed"), Money.cny(10000)),
                        Posting.credit(AccountCode.of("revenue:issuance-fee"), Money.cny(100))),
                OptionalLong.empty(), t, t, Optional.empty(), Map.of("ticket", "T-1", "order", "o-1"),
                Hash.GENESIS, hash);
    }

    @Test
    void matchesTheIndependentKnownAnswerVector() {
        Entry e = vectorEntry(Hash.GENESIS);
        assertThat(HexFormat.of().formatHex(CanonicalForm.bytesOf(e))).isEqualTo(VECTOR_CANONICAL_HEX);
        assertThat(CanonicalForm.hashOf(e).toHex()).isEqualTo(VECTOR_HASH_HEX);
    }

    @Test
    void everyFieldChangesTheHash() {
        Entry base = vectorEntry(Hash.GENESIS);
        Hash h = CanonicalForm.hashOf(base);
        Instant t = base.recordedAt();
        List<Entry> variants = List.of(
                new Entry(LedgerId.of("platform-cnx"), 1, base.kind(), base.idempotencyKey(), base.type(), base.postings(), base.reference(), t, t, base.holdExpiresAt(), base.metadata(), base.previousHash(), h),
                new Entry(base.ledger(), 2, base.kind(), base.idempotencyKey(), base.type(), base.postings(), base.reference(), t, t, base.holdExpiresAt(), base.metadata(), base.previousHash(), h),
                new Entry(base.ledger(), 1, EntryKind.HOLD, base.idempotencyKey(), base.type(), base.postings(), base.reference(), t, t, base.holdExpiresAt(), base.metadata(), base.previousHash(), h),
                new Entry(base.ledger(), 1, base.kind(), "order:o-2:collected", base.type(), base.postings(), base.reference(), t, t, base.holdExpiresAt(), base.metadata(), base.previousHash(), h),
                new Entry(base.ledger(), 1, base.kind(), base.idempotencyKey(), "refund", base.postings(), base.reference(), t, t, base.holdExpiresAt(), base.metadata(), base.previousHash(), h),
                new Entry(base.ledger(), 1, base.kind(), base.idempotencyKey(), base.type(), base.postings(), OptionalLong.of(1), t, t, base.holdExpiresAt(), base.metadata(), base.previousHash(), h),
                new Entry(base.ledger(), 1, base.kind(), base.idempotencyKey(), base.type(), base.postings(), base.reference(), t.plusNanos(1000), t, base.holdExpiresAt(), base.metadata(), base.previousHash(), h),
                new Entry(base.ledger(), 1, base.kind(), base.idempotencyKey(), base.type(), base.postings(), base.reference(), t, t.plusNanos(1000), base.holdExpiresAt(), base.metadata(), base.previousHash(), h),
                new Entry(base.ledger(), 1, base.kind(), base.idempotencyKey(), base.type(), base.postings(), base.reference(), t, t, Optional.of(t), base.metadata(), base.previousHash(), h),
                new Entry(base.ledger(), 1, base.kind(), base.idempotencyKey(), base.type(), List.of(base.postings().get(0), base.postings().get(2), base.postings().get(1)), base.reference(), t, t, base.holdExpiresAt(), base.metadata(), base.previousHash(), h),
                new Entry(base.ledger(), 1, base.kind(), base.idempotencyKey(), base.type(), List.of(Posting.debit(AccountCode.of("platform:alipay:settlement"), Money.cny(10101)), base.postings().get(1), base.postings().get(2)), base.reference(), t, t, base.holdExpiresAt(), base.metadata(), base.previousHash(), h),
                new Entry(base.ledger(), 1, base.kind(), base.idempotencyKey(), base.type(), base.postings(), base.reference(), t, t, base.holdExpiresAt(), Map.of("order", "o-1"), base.previousHash(), h),
                new Entry(base.ledger(), 1, base.kind(), base.idempotencyKey(), base.type(), base.postings(), base.reference(), t, t, base.holdExpiresAt(), base.metadata(), h, h));
        for (Entry v : variants) {
            assertThat(CanonicalForm.hashOf(v)).as(v.toString()).isNotEqualTo(h);
        }
    }

    @Test
    void microsecondsRoundTripIncludingBeforeTheEpoch() {
        Instant before = Instant.parse("1969-12-31T23:59:59.999999Z");
        assertThat(CanonicalForm.micros(before)).isEqualTo(-1);
        assertThat(CanonicalForm.ofMicros(-1)).isEqualTo(before);
        Instant t = Instant.parse("2026-11-26T02:00:00.123456Z");
        assertThat(CanonicalForm.ofMicros(CanonicalForm.micros(t))).isEqualTo(t);
    }

    @Test
    void hashRoundTripsThroughBytesAndHex() {
        Hash h = Hash.ofHex(VECTOR_HASH_HEX);
        assertThat(Hash.ofBytes(h.toBytes())).isEqualTo(h);
        assertThat(h.toHex()).isEqualTo(VECTOR_HASH_HEX);
        assertThat(Hash.GENESIS.toHex()).isEqualTo("0".repeat(64));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Hash.ofHex("zz" + VECTOR_HASH_HEX.substring(2)))
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Hash.ofBytes(new byte[31]))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
