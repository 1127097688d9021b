package org.ticketledger.verify.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateStoreTest {

    @TempDir
    File dir;

    @Test
    void fileStoreReplacesAtomicallyAndSurvivesReopening() {
        StateStore store = StateStore.directory(dir);
        assertThat(store.read("session")).isEmpty();
        store.write("session", "one".getBytes(StandardCharsets.UTF_8));
        store.write("session", "two".getBytes(StandardCharsets.UTF_8));
        assertThat(StateStore.directory(dir).read("session")).hasValueSatisfying(
                b -> assertThat(new String(b, StandardCharsets.UTF_8)).isEqualTo("two"));
        assertThat(dir.list()).containsExactly("session.json");
        store.delete("session");
        assertThat(store.read("session")).isEmpty();
        store.delete("session");
    }

    @Test
    void refusesNamesThatCouldEscapeTheDirectory() {
        StateStore store = StateStore.directory(dir);
        assertThatThrownBy(() -> store.write("../x", new byte[0])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void inMemoryStoreCopiesContent() {
        StateStore store = StateStore.inMemory();
        byte[] content = {1, 2};
        store.write("a", content);
        content[0] = 9;
        assertThat(store.read("a")).hasValueSatisfying(b -> assertThat(b).containsExactly(1, 2));
    }

    @Test
    void softwareSignerKeepsItsKeyAcrossInstances() {
        StateStore store = StateStore.directory(dir);
        DeviceSigner first = DeviceSigner.software(store);
        byte[] sig = first.sign("m".getBytes(StandardCharsets.UTF_8));
        DeviceSigner second = DeviceSigner.software(StateStore.directory(dir));
        assertThat(second.publicKey().getEncoded()).isEqualTo(first.publicKey().getEncoded());
        assertThat(org.ticketledger.verify.EcP256.verify(second.publicKey(), "m".getBytes(StandardCharsets.UTF_8), sig)).isTrue();
    }
}
