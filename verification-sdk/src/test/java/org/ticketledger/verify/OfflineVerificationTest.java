package org.ticketledger.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.ticketledger.verify.internal.Base45;

/** The offline judging rules, including the forgery cases of the acceptance criteria. */
class OfflineVerificationTest {

    private final VerifyFixture f = new VerifyFixture();

    @Test
    void admitsAGenuineTicketAtItsSpotInsideItsWindow() {
        VerifyResult r = f.verify(VerifyFixture.mint(TestKeys.ticket()));
        assertThat(r).isInstanceOfSatisfying(VerifyResult.Valid.class, v -> {
            assertThat(v.remainingUses()).isEqualTo(1);
            assertThat(v.ticket()).hasValueSatisfying(t -> assertThat(t.ticketId()).isEqualTo(4_200_000_001L));
        });
        assertThat(r.admits()).isTrue();
    }

    @Test
    void refusesEveryFlippedBitOfTheBinaryCode() {
        String code = VerifyFixture.mint(TestKeys.ticket());
        byte[] binary = Base45.decode(code, 3, code.length()).orElseThrow();
        for (int bit = 0; bit < binary.length * 8; bit++) {
            byte[] tampered = binary.clone();
            tampered[bit / 8] ^= (byte) (1 << (bit % 8));
            VerifyResult r = f.verify("TL:" + Base45.encode(tampered));
            int offset = bit / 8;
            ResultCode expected = expectedForFlipAt(offset, tampered);
            assertThat(r.code()).as("bit %d (byte %d)", bit, offset).isEqualTo(expected);
        }
    }

    /** What a flipped bit in each field must yield. */
    private static ResultCode expectedForFlipAt(int offset, byte[] tampered) {
        if (offset == 0) {
            return tampered[0] == 0 ? ResultCode.INVALID : ResultCode.UNSUPPORTED_VERSION;
        }
        if (offset == 1 || offset == 2) { // key id 1 -> another id: only 3 (=1^2) ... none of them known except by luck
            int keyId = (tampered[1] & 0xFF) << 8 | (tampered[2] & 0xFF);
            return keyId == 2 || keyId == 9 ? ResultCode.FORGED : ResultCode.UNKNOWN_KEY;
        }
        if (offset == 24) {
            return ResultCode.INVALID; // spot count no longer matches the length
        }
        if (offset >= 3 && offset <= 10 && tampered[3] < 0) {
            return ResultCode.INVALID; // ticket id would be negative
        }
        if (offset >= 11 && offset <= 14 && Arrays.equals(Arrays.copyOfRange(tampered, 11, 15), new byte[4])) {
            return ResultCode.INVALID;
        }
        if (offset == 23 && tampered[23] == 0) {
            return ResultCode.INVALID; // zero uses
        }
        if (offset >= 15 && offset <= 22) {
            long from = u32(tampered, 15);
            long until = u32(tampered, 19);
            if (until <= from) {
                return ResultCode.INVALID;
            }
        }
        return ResultCode.FORGED; // everything else, including the signature itself
    }

    private static long u32(byte[] b, int at) {
        return ((long) (b[at] & 0xFF) << 24) | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8 | (b[at + 3] & 0xFF);
    }

    @Test
    void refusesTruncatedCodesAsInvalid() {
        String code = VerifyFixture.mint(TestKeys.ticket());
        for (int len = 0; len < code.length(); len++) {
            VerifyResult r = f.verify(code.substring(0, len));
            assertThat(r.code()).as("length %d", len).isEqualTo(ResultCode.INVALID);
            assertThat(r.reason()).startsWith("Invalid code");
        }
    }

    @Test
    void refusesACodeClaimingAnUnknownKeyId() {
        VerifyResult r = f.verify(VerifyFixture.mint(TestKeys.ticket().keyId(7)));
        assertThat(r).isInstanceOfSatisfying(VerifyResult.Forged.class, g -> {
            assertThat(g.code()).isEqualTo(ResultCode.UNKNOWN_KEY);
            assertThat(g.keyId()).hasValue(7);
        });
        assertThat(r.reason()).contains("Unknown signing key 7").contains("Sync this device");
    }

    @Test
    void refusesACodeSignedByAnotherKeyThanItsKeyIdNames() {
        TicketPayload p = TestKeys.ticket().keyId(2).build();
        String code = TicketCodec.mint(p, TestKeys.ISSUER_1.getPrivate()); // claims key 2, signed with key 1
        assertThat(f.verify(code).code()).isEqualTo(ResultCode.FORGED);
    }

    @Test
    void refusesAPayloadCarryingAnotherTicketsSignature() {
        String mine = VerifyFixture.mint(TestKeys.ticket());
        String other = VerifyFixture.mint(TestKeys.ticket().ticketId(4_200_000_002L));
        byte[] a = Base45.decode(mine, 3, mine.length()).orElseThrow();
        byte[] b = Base45.decode(other, 3, other.length()).orElseThrow();
        System.arraycopy(b, a.length - 64, a, a.length - 64, 64);
        VerifyResult r = f.verify("TL:" + Base45.encode(a));
        assertThat(r.code()).isEqualTo(ResultCode.FORGED);
        assertThat(r.reason()).contains("Forged ticket");
        assertThat(r.ticket()).isEmpty(); // nothing of a forged payload is shown as fact
    }

    @Test
    void refusesACodeOfARetiredKey() {
        f.now = Instant.parse("2026-03-01T00:05:00Z");
        VerifyResult r = f.verify(VerifyFixture.mint(TestKeys.ticket().keyId(9)
                .validFrom(Instant.parse("2026-02-28T00:00:00Z")).validUntil(Instant.parse("2026-03-02T00:00:00Z"))));
        assertThat(r.code()).isEqualTo(ResultCode.KEY_EXPIRED);
        assertThat(r.reason()).contains("retired key (9)");
    }

    @Test
    void acceptsARetiredKeyWithinTheLeeway() {
        f.now = Instant.parse("2026-03-01T00:01:00Z");
        VerifyResult r = f.verify(VerifyFixture.mint(TestKeys.ticket().keyId(9)
                .validFrom(Instant.parse("2026-02-28T00:00:00Z")).validUntil(Instant.parse("2026-03-02T00:00:00Z"))));
        assertThat(r.code()).isEqualTo(ResultCode.VALID);
    }

    @Test
    void refusesACodeForAnotherSpotNamingTheSpotsItIsValidAt() {
        VerifyResult r = f.verify(VerifyFixture.mint(TestKeys.ticket().spotIds(13, 14)));
        assertThat(r).isInstanceOfSatisfying(VerifyResult.WrongSpot.class, w -> {
            assertThat(w.here()).isEqualTo(VerifyFixture.WEST_LAKE);
            assertThat(w.validAt()).containsExactly(13L, 14L);
        });
        assertThat(r.reason()).isEqualTo("Not valid at West Lake (valid at spot 13, 14).");
    }

    @Test
    void admitsAComboTicketAtEachOfItsSpots() {
        assertThat(f.verify(VerifyFixture.mint(TestKeys.ticket().spotIds(11, 12, 13))).code()).isEqualTo(ResultCode.VALID);
    }

    @Test
    void refusesRevokedTicketsSayingWhen() {
        f.revocations = new RevocationList(6, List.of(new Revocation(4_200_000_001L, Instant.parse("2026-04-30T09:30:00Z"),
                Instant.parse("2026-05-02T00:00:00Z"), "REFUNDED")));
        VerifyResult r = f.verify(VerifyFixture.mint(TestKeys.ticket()));
        assertThat(r.code()).isEqualTo(ResultCode.REVOKED);
        assertThat(r.reason()).isEqualTo("Ticket refunded on 2026-04-30 09:30. Do not admit.");
    }

    @Test
    void refusesBeforeValidFromAndAfterValidUntilBeyondTheLeeway() {
        String code = VerifyFixture.mint(TestKeys.ticket());
        f.now = Instant.parse("2026-04-30T23:57:59Z");
        assertThat(f.verify(code).code()).isEqualTo(ResultCode.NOT_YET_VALID);
        assertThat(f.verify(code).reason()).isEqualTo("Not valid yet: valid from 2026-05-01 00:00.");
        f.now = Instant.parse("2026-04-30T23:58:00Z");
        assertThat(f.verify(code).code()).isEqualTo(ResultCode.VALID);
        f.now = Instant.parse("2026-05-02T00:01:59Z");
        assertThat(f.verify(code).code()).isEqualTo(ResultCode.VALID);
        f.now = Instant.parse("2026-05-02T00:02:00Z");
        assertThat(f.verify(code).code()).isEqualTo(ResultCode.EXPIRED);
        assertThat(f.verify(code).reason()).isEqualTo("Expired on 2026-05-02 00:00.");
    }

    @Test
    void refusesATicketAlreadyRedeemedOnThisDeviceSayingWhenAndWhere() {
        String code = VerifyFixture.mint(TestKeys.ticket());
        f.local.add(record(code, 4_200_000_001L, Instant.parse("2026-05-01T10:02:00Z")));
        VerifyResult r = f.verify(code);
        assertThat(r).isInstanceOfSatisfying(VerifyResult.AlreadyRedeemed.class,
                a -> assertThat(a.last()).hasValueSatisfying(p -> assertThat(p.deviceId()).isEqualTo("GATE-1")));
        assertThat(r.reason()).isEqualTo("Already used on 2026-05-01 10:02 at West Lake, North, device GATE-1.");
    }

    @Test
    void countsUsesOfMultiEntryTickets() {
        String code = VerifyFixture.mint(TestKeys.ticket().uses(2));
        f.local.add(record(code, 4_200_000_001L, Instant.parse("2026-05-01T10:00:00Z")));
        assertThat(f.verify(code)).isInstanceOfSatisfying(VerifyResult.Valid.class,
                v -> assertThat(v.remainingUses()).isEqualTo(1));
        f.local.add(record(code, 4_200_000_001L, Instant.parse("2026-05-01T11:00:00Z")));
        assertThat(f.verify(code).reason()).isEqualTo("All 2 entries used; last on 2026-05-01 11:00 at West Lake, North, device GATE-1.");
    }

    @Test
    void refusesOfflineAdmissionWhenTheDeviceHasNotSyncedForTooLong() {
        String code = VerifyFixture.mint(TestKeys.ticket());
        f.lastSyncAt = Optional.of(VerifyFixture.NOON.minus(Duration.ofHours(25)));
        f.clockFloor = f.lastSyncAt.get();
        VerifyResult r = f.verify(code);
        assertThat(r.code()).isEqualTo(ResultCode.OFFLINE_TOO_LONG);
        assertThat(r.reason()).isEqualTo("Offline since 2026-04-30 11:00 (limit 24 h). Connect to the network and sync.");
        // but a code that is bad anyway still gets its own, more useful reason
        assertThat(f.verify(VerifyFixture.mint(TestKeys.ticket().spotIds(99))).code()).isEqualTo(ResultCode.WRONG_SPOT);
    }

    @Test
    void refusesEverythingBeforeTheFirstSync() {
        f.keys = KeySet.empty();
        f.lastSyncAt = Optional.empty();
        VerifyResult r = f.verify(VerifyFixture.mint(TestKeys.ticket()));
        assertThat(r.code()).isEqualTo(ResultCode.OFFLINE_TOO_LONG);
        assertThat(r.reason()).contains("not synchronised yet");
    }

    @Test
    void distrustsAClockThatWentBackwards() {
        f.clockFloor = VerifyFixture.NOON.plus(Duration.ofMinutes(10));
        VerifyResult r = f.verify(VerifyFixture.mint(TestKeys.ticket()));
        assertThat(r.code()).isEqualTo(ResultCode.CLOCK_UNTRUSTED);
        f.clockFloor = VerifyFixture.NOON.plus(Duration.ofMinutes(1)); // within tolerance
        assertThat(f.verify(VerifyFixture.mint(TestKeys.ticket())).code()).isEqualTo(ResultCode.VALID);
    }

    @Test
    void refusesTextThatIsNoTicketCode() {
        assertThat(f.verify("https://example.com").code()).isEqualTo(ResultCode.INVALID);
        assertThat(f.verify("").code()).isEqualTo(ResultCode.INVALID);
    }

    static ScanRecord record(String code, long ticketId, Instant at) {
        return ScanRecord.builder().recordId(ScanRecord.newRecordId()).deviceId("GATE-1").spotId(12).ticketId(ticketId)
                .code(code).scannedAt(at).clockOffsetMillis(0).sequence(0).nonce(ScanRecord.newNonce())
                .sign(SIGNER);
    }

    static final org.ticketledger.verify.spi.DeviceSigner SIGNER =
            org.ticketledger.verify.spi.DeviceSigner.software(org.ticketledger.verify.spi.StateStore.inMemory());
}
