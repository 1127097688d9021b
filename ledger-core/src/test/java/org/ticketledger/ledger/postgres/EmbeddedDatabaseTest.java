package org.ticketledger.ledger.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import org.junit.jupiter.api.Test;

class EmbeddedDatabaseTest {

    @Test
    void persistentAndDurableServersFlushCommitsTemporaryOnesMayNot() throws Exception {
        try (EmbeddedDatabase persistent = EmbeddedDatabase.startPersistent(Files.createTempDirectory("pg-durable"), 0)) {
            assertThat(persistent.durable()).isTrue();
        }
        try (EmbeddedDatabase durable = EmbeddedDatabase.startTemporaryDurable()) {
            assertThat(durable.durable()).isTrue();
        }
    }
}
