package org.ticketledger.example.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ticketledger.ticketing.spi.KeyProtector;

class MasterKeyTest {

    private static final byte[] BYTES = HexFormat.of().parseHex("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");

    @Test
    void parsesHexAndEveryBase64Form() {
        MasterKey hex = MasterKey.parse(HexFormat.of().formatHex(BYTES));
        assertThat(MasterKey.parse(HexFormat.of().withUpperCase().formatHex(BYTES) + "\n")).isEqualTo(hex);
        assertThat(MasterKey.parse(Base64.getEncoder().encodeToString(BYTES))).isEqualTo(hex);
        assertThat(MasterKey.parse(Base64.getUrlEncoder().withoutPadding().encodeToString(BYTES))).isEqualTo(hex);
        assertThat(MasterKey.generate()).isNotEqualTo(hex);
    }

    @Test
    void refusesOtherLengthsAndGarbageWithoutRepeatingTheText() {
        String short16 = Base64.getEncoder().encodeToString("sixteen byte key".getBytes(StandardCharsets.US_ASCII));
        assertThatThrownBy(() -> MasterKey.parse(short16)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("32 bytes, not 16").message().doesNotContain(short16);
        assertThatThrownBy(() -> MasterKey.parse("not a key at all!")).isInstanceOf(IllegalArgumentException.class)
                .message().doesNotContain("not a key");
        assertThatThrownBy(() -> MasterKey.parse("")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void neverShowsTheKey() {
        MasterKey k = MasterKey.parse(HexFormat.of().formatHex(BYTES));
        assertThat(k.toString()).isEqualTo("MasterKey[redacted]").doesNotContain("0011");
    }

    @Test
    void sealsUnderItselfOnly() {
        KeyProtector mine = MasterKey.generate().protector();
        byte[] sealed = mine.seal(BYTES);
        assertThat(mine.open(sealed)).isEqualTo(BYTES);
        assertThatThrownBy(() -> MasterKey.generate().protector().open(sealed)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aStoredKeyIsCreatedOnceOwnerOnlyAndReused(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("key-master");
        MasterKey first = MasterKey.storedOrNew(file);
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.readString(file).strip()).hasSize(64);
        assertThat(MasterKey.storedOrNew(file)).isEqualTo(first);
        Files.writeString(file, "garbage");
        assertThatThrownBy(() -> MasterKey.storedOrNew(file)).isInstanceOf(IllegalArgumentException.class);
    }
}
