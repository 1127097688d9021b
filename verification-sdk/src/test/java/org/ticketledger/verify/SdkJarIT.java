package org.ticketledger.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.File;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.Set;
import java.util.spi.ToolProvider;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/** Checks the packaged jar (failsafe runs after {@code package}): size, bytecode level, module needs. */
class SdkJarIT {

    private static final long MAX_JAR_BYTES = 250 * 1024;

    private static File jar() {
        String path = System.getProperty("sdk.jar");
        assertThat(path).as("failsafe passes the jar path as sdk.jar").isNotBlank();
        File f = new File(path);
        assertThat(f).isFile();
        return f;
    }

    @Test
    void jarIsAtMost250KB() {
        assertThat(jar().length()).as("jar size in bytes").isLessThanOrEqualTo(MAX_JAR_BYTES);
    }

    @Test
    void everyClassIsJava11Bytecode() throws Exception {
        int classes = 0;
        try (ZipFile zip = new ZipFile(jar())) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry e = entries.nextElement();
                if (!e.getName().endsWith(".class")) {
                    continue;
                }
                try (InputStream in = zip.getInputStream(e); DataInputStream data = new DataInputStream(in)) {
                    assertThat(data.readInt()).isEqualTo(0xCAFEBABE);
                    data.readUnsignedShort();
                    assertThat(data.readUnsignedShort()).as(e.getName()).isEqualTo(55);
                }
                classes++;
            }
        }
        assertThat(classes).isGreaterThan(20);
    }

    @Test
    void jdepsFindsOnlyJavaBaseAndJavaLogging() {
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = jdeps.run(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                "--multi-release", "11", "--print-module-deps", jar().getPath());
        assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isZero();
        Set<String> modules = new HashSet<>(Arrays.asList(out.toString(StandardCharsets.UTF_8).trim().split(",")));
        assertThat(modules).isSubsetOf("java.base", "java.logging");
    }
}
