package org.ticketledger.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.ticketledger.verify.internal.Json;
import org.ticketledger.verify.internal.JsonObject;
import org.ticketledger.verify.internal.Wire;
import org.ticketledger.verify.spi.DeviceSigner;
import org.ticketledger.verify.spi.StateStore;

class ScanRecordTest {

    private static final DeviceSigner DEVICE = DeviceSigner.software(StateStore.inMemory());

    private static ScanRecord.Builder builder() {
        return ScanRecord.builder().recordId("3f2b8c1e-9a4d-4e7b-8c21-5d6f7a8b9c0d").deviceId("dev-7Q2K").spotId(12)
                .ticketId(4200000001L).code("TL:EXAMPLE").scannedAt(Instant.parse("2026-05-01T02:03:04.567Z"))
                .clockOffsetMillis(-1250).sequence(41).nonce("q83vEjRWeJq83vEjRWeJqw");
    }

    @Test
    void signsTheDocumentedLineBasedMessage() {
        ScanRecord r = builder().sign(DEVICE);
        assertThat(r.signedMessage()).isEqualTo("TL-SCAN-1\n3f2b8c1e-9a4d-4e7b-8c21-5d6f7a8b9c0d\ndev-7Q2K\n12\n4200000001\n"
                + "1777600984567\n-1250\n41\nq83vEjRWeJq83vEjRWeJqw\nTL:EXAMPLE");
        assertThat(r.isSignedBy(DEVICE.publicKey())).isTrue();
        assertThat(r.isSignedBy(OfflineVerificationTest.SIGNER.publicKey())).isFalse();
    }

    @Test
    void anyChangedFieldBreaksTheSignature() {
        ScanRecord r = builder().sign(DEVICE);
        ScanRecord moved = builder().spotId(13).withSignature(r.signature());
        ScanRecord later = builder().scannedAt(Instant.parse("2026-05-01T02:03:04.568Z")).withSignature(r.signature());
        assertThat(moved.isSignedBy(DEVICE.publicKey())).isFalse();
        assertThat(later.isSignedBy(DEVICE.publicKey())).isFalse();
    }

    @Test
    void roundTripsThroughItsWireJson() {
        ScanRecord r = builder().sign(DEVICE);
        String json = Json.write(Wire.scanRecordJson(r).build());
        assertThat(json).contains("\"scannedAt\":\"2026-05-01T02:03:04.567Z\"", "\"spotId\":\"12\"",
                "\"ticketId\":\"4200000001\"");
        ScanRecord back = Wire.scanRecord(JsonObject.of(Json.parse(json), "record"));
        assertThat(back).isEqualTo(r);
        assertThat(back.isSignedBy(DEVICE.publicKey())).isTrue();
    }

    @Test
    void refusesFieldsThatWouldMakeTheSignedMessageAmbiguous() {
        assertThatThrownBy(() -> builder().code("TL:A\nB").sign(DEVICE)).hasMessageContaining("line breaks");
        assertThatThrownBy(() -> builder().deviceId("a\nb").sign(DEVICE)).hasMessageContaining("deviceId");
        assertThatThrownBy(() -> builder().recordId("3F2B8C1E-9A4D-4E7B-8C21-5D6F7A8B9C0D").sign(DEVICE))
                .hasMessageContaining("lower-case UUID");
        assertThatThrownBy(() -> builder().scannedAt(Instant.parse("2026-05-01T02:03:04.5671Z")).sign(DEVICE))
                .hasMessageContaining("millisecond");
        assertThatThrownBy(() -> builder().nonce("short").sign(DEVICE)).hasMessageContaining("nonce");
    }
}
