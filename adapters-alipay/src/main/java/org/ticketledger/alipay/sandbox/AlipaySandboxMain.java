package org.ticketledger.alipay.sandbox;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.CountDownLatch;
import org.ticketledger.alipay.AlipayKeys;

/**
 * Runs an {@link AlipaySandbox} stand-alone and prints what a client needs (gateway URL, app id,
 * keys, platform account). A launcher: it writes to standard output by design.
 *
 * <pre>
 * java -cp ... org.ticketledger.alipay.sandbox.AlipaySandboxMain [--port 8480] [--host 127.0.0.1] [--app-id 2021000000000001]
 * </pre>
 * Stops on Ctrl-C.
 */
public final class AlipaySandboxMain {

    private AlipaySandboxMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        AlipaySandbox.Builder builder;
        try {
            builder = configure(args);
        } catch (IllegalArgumentException | UnknownHostException e) {
            // A usage error is the caller's to fix: one line and exit code 2, like the Huijinbao sandbox.
            System.err.println("alipay-sandbox: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (builder == null) {
            System.out.println("usage: AlipaySandboxMain [--port N] [--host ADDR] [--app-id DIGITS]");
            return;
        }
        AlipaySandbox sandbox = builder.start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sandbox.close();
            stopped.countDown();
        }, "alipay-sandbox-shutdown"));
        System.out.println("Alipay sandbox running (Ctrl-C stops it)");
        System.out.println("gateway:            " + sandbox.gatewayUri());
        System.out.println("control API:        " + sandbox.controlUri());
        System.out.println("app id:             " + sandbox.appId());
        System.out.println("platform user id:   " + sandbox.platformUserId());
        System.out.println("app private key (PKCS#8, give it to the client; a throwaway test key):");
        System.out.println(AlipayKeys.toBase64(sandbox.appPrivateKey().orElseThrow()));
        System.out.println("alipay public key (X.509, verifies the sandbox's replies and notifies):");
        System.out.println(AlipayKeys.toBase64(sandbox.alipayPublicKey()));
        System.out.println("example: curl -s -XPOST " + sandbox.controlUri()
                + "accounts -d '{\"logon_id\":\"d1@example.com\",\"name\":\"张三\",\"balance\":\"1000.00\",\"agreement\":true}'");
        stopped.await();
    }

    /** The sandbox the options ask for; null for {@code --help}. */
    private static AlipaySandbox.Builder configure(String[] args) throws UnknownHostException {
        AlipaySandbox.Builder builder = AlipaySandbox.builder().port(8480);
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (arg) {
                case "--port" -> builder.port(port(require(arg, value)));
                case "--host" -> builder.host(InetAddress.getByName(require(arg, value)));
                case "--app-id" -> builder.appId(require(arg, value));
                case "--help", "-h" -> {
                    return null;
                }
                default -> throw new IllegalArgumentException("unknown option " + arg + " (try --help)");
            }
            i++;
        }
        return builder;
    }

    private static int port(String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--port needs a number, not " + value);
        }
    }

    private static String require(String option, String value) {
        if (value == null) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return value;
    }
}
