package org.ticketledger.bench.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.ticketledger.alipay.AlipayKeys;
import org.ticketledger.alipay.sandbox.AlipaySandbox;
import org.ticketledger.huijinbao.sandbox.HuijinbaoSandbox;
import org.ticketledger.ledger.Money;

/**
 * The Alipay and Huijinbao sandboxes, running in this (the harness's) JVM on fixed loopback ports,
 * so that their books outlive every restart of the app under test; the app reaches them as if they
 * were the real gateways ({@link #serveArgs()}). Key files for the app are written to a directory.
 * Thread-safe (the sandboxes are).
 */
public final class Sandboxes implements AutoCloseable {

    private final AlipaySandbox alipay;
    private final HuijinbaoSandbox huijinbao;
    private final List<String> serveArgs;

    private Sandboxes(AlipaySandbox alipay, HuijinbaoSandbox huijinbao, List<String> serveArgs) {
        this.alipay = alipay;
        this.huijinbao = huijinbao;
        this.serveArgs = serveArgs;
    }

    /**
     * Starts both sandboxes.
     *
     * @param keyDir        where the app's key files go
     * @param faultDelay    how long a "delay" fault holds a reply (longer than the app's rail timeout)
     * @param sandboxThreads threads serving Huijinbao requests (delayed ones hold a thread each)
     */
    public static Sandboxes start(Path keyDir, Duration faultDelay, int sandboxThreads) {
        AlipaySandbox alipay = AlipaySandbox.builder().faultDelay(faultDelay)
                .notifyRetryIntervals(List.of(Duration.ofSeconds(5), Duration.ofSeconds(30))).start();
        HuijinbaoSandbox hjb;
        try {
            hjb = HuijinbaoSandbox.builder().noTransactionLimit().threads(sandboxThreads).start();
        } catch (RuntimeException e) {
            alipay.close();
            throw e;
        }
        try {
            Files.createDirectories(keyDir);
            Path appKey = write(keyDir.resolve("alipay-app-private.key"), AlipayKeys.toBase64(alipay.appPrivateKey().orElseThrow()));
            Path alipayKey = write(keyDir.resolve("alipay-public.key"), AlipayKeys.toBase64(alipay.alipayPublicKey()));
            Path secret = write(keyDir.resolve("huijinbao.secret"), hjb.secret());
            List<String> args = List.of(
                    "--alipay-gateway", alipay.gatewayUri().toString(), "--alipay-app-id", alipay.appId(),
                    "--alipay-private-key-file", appKey.toString(), "--alipay-public-key-file", alipayKey.toString(),
                    "--alipay-platform-account", alipay.platformUserId(),
                    "--huijinbao-url", hjb.baseUri().toString(), "--huijinbao-key-id", hjb.keyId(),
                    "--huijinbao-secret-file", secret.toString(), "--huijinbao-platform-account", hjb.platformAccount());
            return new Sandboxes(alipay, hjb, args);
        } catch (IOException | RuntimeException e) {
            alipay.close();
            hjb.close();
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    private static Path write(Path file, String text) throws IOException {
        Files.writeString(file, text + "\n", StandardCharsets.US_ASCII);
        return file;
    }

    public AlipaySandbox alipay() {
        return alipay;
    }

    public HuijinbaoSandbox huijinbao() {
        return huijinbao;
    }

    /** The {@code serve} options that point the app at these sandboxes. */
    public List<String> serveArgs() {
        return serveArgs;
    }

    /** Puts {@code amount} into both platform settlement accounts (to be booked as funding by the admin). */
    public void fundPlatform(Money amount) {
        alipay.fund(alipay.platformUserId(), amount);
        huijinbao.fundPlatform(amount);
    }

    @Override
    public void close() {
        try {
            alipay.close();
        } finally {
            huijinbao.close();
        }
    }
}
