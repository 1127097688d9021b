package org.ticketledger.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.ticketledger.verify.spi.ScanJournal;
import org.ticketledger.verify.spi.StateStore;

/** Builder rules and local behaviour that needs no server. */
class VerifierClientTest {

    private static VerifierClient.Builder inMemory(StateStore state) {
        return VerifierClient.builder().serverUrl("https://tickets.example.com").stateStore(state)
                .scanJournal(ScanJournal.inMemory());
    }

    @Test
    void builderRejectsBadSettingsWhenTheyAreSet() {
        VerifierClient.Builder b = VerifierClient.builder();
        assertThatThrownBy(() -> b.serverUrl("ftp://x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.serverUrl("https://x/?q=1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.maxOfflineDuration(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.clockSkewTolerance(Duration.ofHours(2))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.redeemTimeout(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(b::build).isInstanceOf(IllegalStateException.class).hasMessageContaining("serverUrl");
        b.serverUrl("https://tickets.example.com");
        assertThatThrownBy(b::build).isInstanceOf(IllegalStateException.class).hasMessageContaining("dataDirectory");
    }

    @Test
    void anUnprovisionedDeviceCannotVerifyOrRedeem() {
        try (VerifierClient client = inMemory(StateStore.inMemory()).build()) {
            assertThat(client.status().deviceId()).isEmpty();
            assertThatThrownBy(() -> client.verify("TL:x")).isInstanceOfSatisfying(UnableToAuthenticateException.class,
                    e -> assertThat(e.problemCode()).contains("not-provisioned"));
            assertThatThrownBy(() -> client.redeem("TL:x")).isInstanceOf(UnableToAuthenticateException.class);
        }
    }

    @Test
    void ignoresUnreadableStoredStateInsteadOfFailingToStart() {
        StateStore state = StateStore.inMemory();
        state.write("keyset", "{not json".getBytes(StandardCharsets.UTF_8));
        state.write("revocations", "[]".getBytes(StandardCharsets.UTF_8));
        state.write("clock", "{\"offsetMillis\":\"soon\"}".getBytes(StandardCharsets.UTF_8));
        try (VerifierClient client = inMemory(state).build()) {
            assertThat(client.keySet()).isEqualTo(KeySet.empty());
            assertThat(client.revocations()).isEqualTo(RevocationList.empty());
            assertThat(client.status().clock().offset()).isZero();
        }
    }

    @Test
    void aClosedClientRefusesWork() {
        VerifierClient client = inMemory(StateStore.inMemory()).build();
        client.close();
        client.close(); // idempotent
        assertThatThrownBy(() -> client.verify("TL:x")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(client::syncAsync).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void reportsItsVersion() {
        assertThat(VerifierClient.SDK_VERSION).isNotBlank().doesNotContain("${");
    }
}
