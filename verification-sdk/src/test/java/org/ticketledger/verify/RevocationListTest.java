package org.ticketledger.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ticketledger.verify.internal.Json;
import org.ticketledger.verify.internal.JsonObject;
import org.ticketledger.verify.internal.Wire;

class RevocationListTest {

    private static final Instant T = Instant.parse("2026-05-01T00:00:00Z");

    private static Revocation r(long ticket, int expiresInDays) {
        return new Revocation(ticket, T, T.plusSeconds(86400L * expiresInDays), "REFUNDED");
    }

    @Test
    void appliesDeltasOnTopOfItsVersionOnly() {
        RevocationList v5 = RevocationList.empty().apply(new RevocationDelta(0, 5, true, List.of(r(1, 1), r(3, 1))));
        RevocationList v7 = v5.apply(new RevocationDelta(5, 7, false, List.of(r(2, 1))));
        assertThat(v7.version()).isEqualTo(7);
        assertThat(v7.isRevoked(1)).isTrue();
        assertThat(v7.isRevoked(2)).isTrue();
        assertThat(v7.isRevoked(4)).isFalse();
        assertThat(v7.entries()).extracting(Revocation::ticketId).containsExactly(1L, 2L, 3L);
        RevocationDelta stale = new RevocationDelta(6, 8, false, List.of(r(9, 1)));
        assertThat(v7.canApply(stale)).isFalse();
        assertThatThrownBy(() -> v7.apply(stale)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aFullListReplacesEverything() {
        RevocationList v7 = new RevocationList(7, List.of(r(1, 1), r(2, 1)));
        RevocationList v9 = v7.apply(new RevocationDelta(0, 9, true, List.of(r(5, 1))));
        assertThat(v9.entries()).extracting(Revocation::ticketId).containsExactly(5L);
        assertThat(v9.version()).isEqualTo(9);
    }

    @Test
    void prunesEntriesOfExpiredTickets() {
        RevocationList list = new RevocationList(3, List.of(r(1, 1), r(2, 10)));
        RevocationList pruned = list.pruneExpiredBefore(T.plusSeconds(86400L * 2));
        assertThat(pruned.entries()).extracting(Revocation::ticketId).containsExactly(2L);
        assertThat(pruned.version()).isEqualTo(3);
        assertThat(pruned.pruneExpiredBefore(T)).isSameAs(pruned);
    }

    @Test
    void roundTripsThroughItsPersistedJson() {
        RevocationList list = new RevocationList(3, List.of(r(Long.MAX_VALUE, 1), r(2, 10)));
        JsonObject json = JsonObject.of(Json.parse(Wire.revocationListJson(list).toBytes()), "list");
        assertThat(Wire.revocationList(json)).isEqualTo(list);
        assertThat(json.toString()).contains("\"ticketId\":\"9223372036854775807\"");
    }

    @Test
    void readsTheDocumentedDeltaShape() {
        RevocationDelta d = Wire.revocationDelta(JsonObject.of(Json.parse("{\"since\":118,\"version\":121,\"full\":false,"
                + "\"entries\":[{\"ticketId\":\"4200000001\",\"revokedAt\":\"2026-04-30T09:30:00Z\","
                + "\"expiresAt\":\"2026-05-02T00:00:00Z\",\"reason\":\"REFUNDED\"}],\"serverTime\":\"2026-05-01T08:00:00Z\"}"), "r"));
        assertThat(d.since()).isEqualTo(118);
        assertThat(d.version()).isEqualTo(121);
        assertThat(d.full()).isFalse();
        assertThat(d.entries()).containsExactly(new Revocation(4_200_000_001L, Instant.parse("2026-04-30T09:30:00Z"),
                Instant.parse("2026-05-02T00:00:00Z"), "REFUNDED"));
    }
}
