package org.ticketledger.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.ticketledger.verify.internal.Base45;

/** Round trips and tamper resistance over random payloads. */
class TicketCodeProperties {

    @Provide
    Arbitrary<TicketPayload> payloads() {
        Arbitrary<Integer> keyId = Arbitraries.of(1, 2);
        Arbitrary<Long> ticketId = Arbitraries.longs().between(1, Long.MAX_VALUE);
        Arbitrary<Long> productId = Arbitraries.longs().between(1, TicketPayload.MAX_U32);
        Arbitrary<Set<Long>> spots = Arbitraries.longs().between(1, TicketPayload.MAX_U32).set().ofMinSize(1)
                .ofMaxSize(TicketPayload.MAX_SPOTS);
        Arbitrary<Long> from = Arbitraries.longs().between(0, TicketPayload.MAX_U32 - 1);
        Arbitrary<Long> length = Arbitraries.longs().between(1, 400L * 24 * 3600);
        Arbitrary<Integer> uses = Arbitraries.integers().between(1, TicketPayload.MAX_USES);
        return Combinators.combine(keyId, ticketId, productId, spots, from, length, uses).as((k, t, p, s, f, l, u) ->
                TicketPayload.builder().keyId(k).ticketId(t).productId(p).spotIds(List.copyOf(s))
                        .validFrom(Instant.ofEpochSecond(f))
                        .validUntil(Instant.ofEpochSecond(Math.min(TicketPayload.MAX_U32, f + l)))
                        .uses(u).build());
    }

    @Property(tries = 200)
    void mintedCodesDecodeToTheSamePayloadAndVerifyAtAnyListedSpot(@ForAll("payloads") TicketPayload payload) {
        String code = VerifyFixture.mint(payload.toBuilder());
        assertThat(code.length()).isLessThanOrEqualTo(TicketCodec.MAX_TEXT_LENGTH);
        TicketCode decoded = TicketCodec.decode(code).ticketCode().orElseThrow();
        assertThat(decoded.payload()).isEqualTo(payload);
        assertThat(decoded.payload().spotIds()).isSorted();

        VerifyFixture f = new VerifyFixture();
        f.keys = new KeySet(1, List.of(
                new IssuerKey(1, (java.security.interfaces.ECPublicKey) TestKeys.ISSUER_1.getPublic(), Instant.EPOCH,
                        Instant.ofEpochSecond(TicketPayload.MAX_U32 + 1)),
                new IssuerKey(2, (java.security.interfaces.ECPublicKey) TestKeys.ISSUER_2.getPublic(), Instant.EPOCH,
                        Instant.ofEpochSecond(TicketPayload.MAX_U32 + 1))));
        f.spot = new ScenicSpot(payload.spotIds().get(payload.spotIds().size() - 1), "");
        f.now = payload.validFrom();
        f.clockFloor = Instant.EPOCH;
        f.lastSyncAt = Optional.of(payload.validFrom());
        f.maxOffline = Duration.ofDays(1);
        assertThat(f.verify(code)).isInstanceOfSatisfying(VerifyResult.Valid.class, v -> {
            assertThat(v.ticket()).contains(payload);
            assertThat(v.remainingUses()).isEqualTo(payload.uses());
        });
    }

    @Property(tries = 200)
    void aFlippedBitNeverYieldsAnAdmittingResult(@ForAll("payloads") TicketPayload payload,
            @ForAll @IntRange(min = 0, max = 100_000) int position) {
        String code = VerifyFixture.mint(payload.toBuilder());
        byte[] binary = Base45.decode(code, 3, code.length()).orElseThrow();
        int bit = position % (binary.length * 8);
        binary[bit / 8] ^= (byte) (1 << (bit % 8));
        VerifyFixture f = new VerifyFixture();
        f.now = payload.validFrom();
        f.clockFloor = Instant.EPOCH;
        f.lastSyncAt = Optional.of(payload.validFrom());
        f.spot = new ScenicSpot(payload.spotIds().get(0), "");
        VerifyResult r = f.verify("TL:" + Base45.encode(binary));
        assertThat(r.admits()).isFalse();
        assertThat(r.code()).isIn(ResultCode.FORGED, ResultCode.INVALID, ResultCode.UNKNOWN_KEY,
                ResultCode.UNSUPPORTED_VERSION);
    }

    @Property(tries = 100)
    void aChangedCharacterNeverYieldsAnAdmittingResult(@ForAll("payloads") TicketPayload payload,
            @ForAll @IntRange(min = 0, max = 10_000) int position, @ForAll @IntRange(min = 1, max = 44) int shift) {
        String code = VerifyFixture.mint(payload.toBuilder());
        int at = 3 + position % (code.length() - 3);
        String alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
        char replacement = alphabet.charAt((alphabet.indexOf(code.charAt(at)) + shift) % 45);
        String tampered = code.substring(0, at) + replacement + code.substring(at + 1);
        VerifyFixture f = new VerifyFixture();
        f.now = payload.validFrom();
        f.clockFloor = Instant.EPOCH;
        f.lastSyncAt = Optional.of(payload.validFrom());
        f.spot = new ScenicSpot(payload.spotIds().get(0), "");
        assertThat(f.verify(tampered).admits()).isFalse();
    }
}
