package org.ticketledger.example.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ticketledger.example.Platform;
import org.ticketledger.ledger.testing.PostgresFixture;
import org.ticketledger.ticketing.UnableToStartException;
import org.ticketledger.ticketing.jobs.JobSettings;
import org.ticketledger.verify.IssuerKey;

/** The issuer keys sealed by one platform open on a restart with the same master key, and only with it. */
class MasterKeyIT {

    private static Platform start(String url, MasterKey key) {
        return Platform.builder().database(Database.external(url, PostgresFixture.server().user(), null, 4)).masterKey(key)
                .port(0).jobSettings(JobSettings.fast()).backgroundJobs(false).start();
    }

    @Test
    void aRestartNeedsTheSameMasterKey() {
        String url = PostgresFixture.newDatabaseUrl();
        String hex = HexFormat.of().formatHex(new byte[32]).replace("00", "a7");
        MasterKey key = MasterKey.parse(hex);
        List<Integer> keys;
        try (Platform p = start(url, key)) {
            keys = p.ticketing().codes().keySet().keys().stream().map(IssuerKey::keyId).toList();
            assertThat(keys).isNotEmpty();
            String sealed = p.database().jdbi().withHandle(h -> h.createQuery(
                    "SELECT encode(private_key, 'hex') FROM ticketing.signing_keys LIMIT 1").mapTo(String.class).one());
            assertThat(sealed).doesNotContain("3041020100"); // no plain PKCS#8 header in the database
        }
        assertThatThrownBy(() -> start(url, MasterKey.generate())).isInstanceOf(UnableToStartException.class)
                .message().doesNotContain(hex);
        try (Platform p = start(url, MasterKey.parse(hex))) {
            assertThat(p.ticketing().codes().keySet().keys().stream().map(IssuerKey::keyId).toList()).isEqualTo(keys);
        }
    }
}
