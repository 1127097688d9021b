package org.ticketledger.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ticketledger.verify.internal.Json;
import org.ticketledger.verify.internal.JsonException;
import org.ticketledger.verify.internal.JsonObject;
import org.ticketledger.verify.internal.Wire;

class KeySetTest {

    @Test
    void findsKeysByIdAndRefusesDuplicates() {
        KeySet keys = TestKeys.keySet();
        assertThat(keys.key(2)).hasValueSatisfying(k -> assertThat(k.publicKey()).isEqualTo(TestKeys.ISSUER_2.getPublic()));
        assertThat(keys.key(3)).isEmpty();
        assertThat(keys.key(65535)).isEmpty();
        IssuerKey one = keys.key(1).orElseThrow();
        assertThatThrownBy(() -> new KeySet(1, List.of(one, one))).hasMessageContaining("twice");
    }

    @Test
    void aKeyIsActiveInItsPeriodPlusLeeway() {
        IssuerKey k = TestKeys.keySet().key(9).orElseThrow();
        assertThat(k.isActiveAt(TestKeys.RETIRED_UNTIL.minusSeconds(1), Duration.ZERO)).isTrue();
        assertThat(k.isActiveAt(TestKeys.RETIRED_UNTIL, Duration.ZERO)).isFalse();
        assertThat(k.isActiveAt(TestKeys.RETIRED_UNTIL, Duration.ofSeconds(1))).isTrue();
    }

    @Test
    void roundTripsThroughTheJwkShapedJson() {
        KeySet keys = TestKeys.keySet();
        String json = Json.write(Wire.keySetJson(keys).build());
        assertThat(json).contains("\"kid\":\"1\"", "\"kty\":\"EC\"", "\"crv\":\"P-256\"", "\"alg\":\"ES256\"");
        assertThat(Wire.keySet(JsonObject.of(Json.parse(json), "keys"))).isEqualTo(keys);
    }

    @Test
    void refusesAKeyWhosePointIsNotOnTheCurve() {
        ECPublicKey pub = (ECPublicKey) TestKeys.ISSUER_1.getPublic();
        byte[] y = EcP256.y(pub);
        y[0] ^= 1;
        String json = "{\"version\":1,\"keys\":[{\"kid\":\"1\",\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\""
                + org.ticketledger.verify.internal.Base64Url.encode(EcP256.x(pub)) + "\",\"y\":\""
                + org.ticketledger.verify.internal.Base64Url.encode(y)
                + "\",\"notBefore\":\"2026-01-01T00:00:00Z\",\"notAfter\":\"2027-01-01T00:00:00Z\"}]}";
        assertThatThrownBy(() -> Wire.keySet(JsonObject.of(Json.parse(json), "keys")))
                .isInstanceOf(JsonException.class).hasMessageContaining("not on P-256");
    }

    @Test
    void skipsKeysOfOtherAlgorithms() {
        String json = "{\"version\":2,\"keys\":[{\"kid\":\"5\",\"kty\":\"OKP\",\"alg\":\"EdDSA\",\"crv\":\"Ed25519\",\"x\":\"AA\","
                + "\"notBefore\":\"2026-01-01T00:00:00Z\",\"notAfter\":\"2027-01-01T00:00:00Z\"}]}";
        KeySet keys = Wire.keySet(JsonObject.of(Json.parse(json), "keys"));
        assertThat(keys.version()).isEqualTo(2);
        assertThat(keys.keys()).isEmpty();
        assertThat(Instant.EPOCH).isNotNull();
    }
}
