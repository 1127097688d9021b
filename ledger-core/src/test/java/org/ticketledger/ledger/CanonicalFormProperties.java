package org.ticketledger.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The canonical bytes against a plain re-statement of JOURNAL-FORMAT.md (every string a 4-byte
 * length and its UTF-8 bytes), for strings that mix ASCII with other characters at any position:
 * the encoder's one-pass ASCII path and its UTF-8 fallback must give exactly those bytes.
 */
class CanonicalFormProperties {

    @Property(tries = 500)
    void canonicalBytesAreTheDocumentedFormatForAnyStrings(@ForAll("keys") String key, @ForAll("values") String value,
                                                           @ForAll("values") String other) throws IOException {
        Instant t = Instant.parse("2026-11-26T02:00:00.123456Z");
        Map<String, String> metadata = Map.of("note", value, "order", other);
        Entry e = new Entry(LedgerId.of("platform-cny"), 7, EntryKind.STANDARD, key, "issuance",
                List.of(Posting.debit(AccountCode.of("platform:alipay:settlement"), Money.cny(10100)),
                        Posting.credit(AccountCode.of("tickets:unredeemed"), Money.cny(10100))),
                OptionalLong.empty(), t, t, Optional.empty(), metadata, Hash.GENESIS, Hash.GENESIS);

        assertThat(CanonicalForm.bytesOf(e)).isEqualTo(reference(e));
    }

    @Provide
    Arbitrary<String> keys() {
        return Arbitraries.strings().withCharRange('!', '~').ofMinLength(1).ofMaxLength(200);
    }

    @Provide
    Arbitrary<String> values() {
        // ASCII, Latin-1, CJK, and surrogate pairs (emoji), in any mix and order.
        Arbitrary<String> pieces = Arbitraries.oneOf(
                Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(8),
                Arbitraries.strings().withCharRange('\u0080', '\u00ff').ofMaxLength(3),
                Arbitraries.strings().withCharRange('\u4e00', '\u4e20').ofMaxLength(3),
                Arbitraries.of("\uD83C\uDFAB", "\u2713", "\u007f"));
        return pieces.list().ofMaxSize(6).map(l -> String.join("", l));
    }

    private static byte[] reference(Entry e) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.write(new byte[] {'T', 'L', 'E', '1'});
        string(out, e.ledger().value());
        out.writeLong(e.sequence());
        out.writeByte(e.kind().code());
        string(out, e.idempotencyKey());
        string(out, e.type());
        out.writeLong(e.reference().orElse(0));
        out.writeLong(CanonicalForm.micros(e.effectiveAt()));
        out.writeLong(CanonicalForm.micros(e.recordedAt()));
        out.writeByte(0);
        out.writeShort(e.postings().size());
        for (Posting p : e.postings()) {
            string(out, p.account().value());
            out.writeByte(p.side().code());
            out.write(p.amount().currency().getCurrencyCode().getBytes(StandardCharsets.US_ASCII));
            out.writeLong(p.amount().minor());
        }
        out.writeShort(e.metadata().size());
        for (Map.Entry<String, String> m : e.metadata().entrySet()) {
            string(out, m.getKey());
            string(out, m.getValue());
        }
        out.flush();
        return bytes.toByteArray();
    }

    private static void string(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }
}
