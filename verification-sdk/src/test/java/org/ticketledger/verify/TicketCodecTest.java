package org.ticketledger.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class TicketCodecTest {

    @Test
    void encodesTheDocumentedLayout() {
        TicketPayload p = TestKeys.ticket().keyId(0x0102).ticketId(0x0A0B0C0D0E0F1011L).productId(0xCAFEBABEL)
                .spotIds(0x30, 0x10, 0x20).validFrom(Instant.ofEpochSecond(0x11223344L))
                .validUntil(Instant.ofEpochSecond(0xF1223344L)).uses(3).build();
        assertThat(HexFormat.of().formatHex(TicketCodec.encodePayload(p))).isEqualTo(
                "01" + "0102" + "0a0b0c0d0e0f1011" + "cafebabe" + "11223344" + "f1223344" + "03" + "03"
                        + "00000010" + "00000020" + "00000030");
    }

    @Test
    void mintedCodeDecodesToTheSamePayloadAndVerifiesWithTheIssuerKey() {
        TicketPayload p = TestKeys.ticket().build();
        String code = TicketCodec.mint(p, TestKeys.ISSUER_1.getPrivate());
        assertThat(code).startsWith("TL:").matches("TL:[0-9A-Z $%*+\\-./:]+");
        assertThat(code).hasSize(3 + 140); // 93 bytes -> 140 Base45 characters: QR version 6-M
        TicketCode decoded = TicketCodec.decode(code).ticketCode().orElseThrow();
        assertThat(decoded.payload()).isEqualTo(p);
        assertThat(decoded.isSignedBy(TestKeys.ISSUER_1.getPublic())).isTrue();
        assertThat(decoded.isSignedBy(TestKeys.ISSUER_2.getPublic())).isFalse();
        assertThat(decoded.signedBytes()).isEqualTo(TicketCodec.encodePayload(p));
    }

    @Test
    void mintsWithTheIssuersOwnSignerTheSameCodeAsWithItsKey() {
        TicketPayload p = TestKeys.ticket().build();
        byte[][] seen = new byte[1][];
        String code = TicketCodec.mint(p, signed -> {
            seen[0] = signed;
            return EcP256.sign(TestKeys.ISSUER_1.getPrivate(), signed);
        });
        assertThat(seen[0]).isEqualTo(TicketCodec.encodePayload(p));
        TicketCode decoded = TicketCodec.decode(code).ticketCode().orElseThrow();
        assertThat(decoded.payload()).isEqualTo(p);
        assertThat(decoded.isSignedBy(TestKeys.ISSUER_1.getPublic())).isTrue();
        assertThatThrownBy(() -> TicketCodec.mint(p, signed -> new byte[63])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void toleratesTrailingLineBreaksFromScanners() {
        String code = TicketCodec.mint(TestKeys.ticket().build(), TestKeys.ISSUER_1.getPrivate());
        TicketCode decoded = TicketCodec.decode(code + "\r\n").ticketCode().orElseThrow();
        assertThat(decoded.text()).isEqualTo(code);
        assertThat(decoded.isSignedBy(TestKeys.ISSUER_1.getPublic())).isTrue();
    }

    @Test
    void reportsWhatIsWrongWithMalformedCodes() {
        String code = TicketCodec.mint(TestKeys.ticket().build(), TestKeys.ISSUER_1.getPrivate());
        assertMalformed("https://example.com/ticket/1", ResultCode.INVALID, "not a ticket code");
        assertMalformed("TL:", ResultCode.INVALID, "empty");
        assertMalformed("TL:bb8", ResultCode.INVALID, "not Base45");
        byte[] binary = org.ticketledger.verify.internal.Base45.decode(code, 3, code.length()).orElseThrow();
        assertMalformed("TL:" + org.ticketledger.verify.internal.Base45.encode(java.util.Arrays.copyOf(binary, 92)),
                ResultCode.INVALID, "truncated");
        assertMalformed("TL:" + org.ticketledger.verify.internal.Base45.encode(java.util.Arrays.copyOf(binary, 20)),
                ResultCode.INVALID, "truncated");
        assertMalformed(code + "000", ResultCode.INVALID, "trailing bytes");
        assertMalformed("TL:" + org.ticketledger.verify.internal.Base45.encode(new byte[] {2, 0, 0}),
                ResultCode.UNSUPPORTED_VERSION, "version 2");
    }

    @Test
    void refusesNonCanonicalSpotOrderEvenWithAValidLength() {
        byte[] payload = TicketCodec.encodePayload(TestKeys.ticket().spotIds(5, 6).build());
        // swap the two spot ids: 6 then 5
        payload[28] = 6;
        payload[32] = 5;
        byte[] binary = java.util.Arrays.copyOf(payload, payload.length + 64);
        DecodeResult r = TicketCodec.decode("TL:" + org.ticketledger.verify.internal.Base45.encode(binary));
        assertThat(r).isInstanceOfSatisfying(DecodeResult.Malformed.class,
                m -> assertThat(m.detail()).contains("ascending"));
    }

    @Test
    void payloadRejectsValuesTheLayoutCannotHold() {
        assertThatThrownBy(() -> TestKeys.ticket().keyId(65536).build()).hasMessageContaining("keyId");
        assertThatThrownBy(() -> TestKeys.ticket().ticketId(0).build()).hasMessageContaining("ticketId");
        assertThatThrownBy(() -> TestKeys.ticket().productId(1L << 32).build()).hasMessageContaining("productId");
        assertThatThrownBy(() -> TestKeys.ticket().spotIds().build()).hasMessageContaining("spots");
        assertThatThrownBy(() -> TestKeys.ticket().spotIds(3, 3).build()).hasMessageContaining("duplicate");
        assertThatThrownBy(() -> TestKeys.ticket().uses(256).build()).hasMessageContaining("uses");
        assertThatThrownBy(() -> TestKeys.ticket().validFrom(Instant.parse("2026-05-01T00:00:00.5Z")).build())
                .hasMessageContaining("whole seconds");
        assertThatThrownBy(() -> TestKeys.ticket().validUntil(Instant.parse("2026-05-01T00:00:00Z")).build())
                .hasMessageContaining("after validFrom");
    }

    private static void assertMalformed(String text, ResultCode code, String detail) {
        assertThat(TicketCodec.decode(text)).isInstanceOfSatisfying(DecodeResult.Malformed.class, m -> {
            assertThat(m.code()).isEqualTo(code);
            assertThat(m.detail()).contains(detail);
        });
    }
}
