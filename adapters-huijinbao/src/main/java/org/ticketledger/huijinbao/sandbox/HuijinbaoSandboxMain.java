package org.ticketledger.huijinbao.sandbox;

import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;
import org.ticketledger.ledger.Money;
import org.ticketledger.payment.PlanId;

/**
 * Runs a {@link HuijinbaoSandbox} stand-alone until the process is stopped, so that any HJB-API
 * client (ours or an integration team's) can be pointed at it:
 *
 * <pre>
 * java -cp ... org.ticketledger.huijinbao.sandbox.HuijinbaoSandboxMain --port=8089 \
 *      --key-id=demo --secret=BASE64 --platform-account=PLATFORM0001 --platform-balance=100000.00 \
 *      --plan=HJB-PLAN-01:285 --account=M1001:5000.00 --control-token=TOKEN
 * </pre>
 *
 * Every option may be omitted: loopback, an ephemeral port and a random secret are the defaults;
 * the address and credentials are printed on start.
 */
public final class HuijinbaoSandboxMain {

    private HuijinbaoSandboxMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        HuijinbaoSandbox sandbox;
        try {
            sandbox = configure(args).start();
        } catch (IllegalArgumentException e) {
            System.err.println("huijinbao-sandbox: " + e.getMessage());
            System.exit(2);
            return;
        }
        describe(sandbox, System.out);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sandbox.close();
            stopped.countDown();
        }, "huijinbao-sandbox-shutdown"));
        stopped.await();
    }

    /**
     * A builder configured from command-line options.
     *
     * @throws IllegalArgumentException for an unknown or malformed option
     */
    public static HuijinbaoSandbox.Builder configure(String... args) {
        HuijinbaoSandbox.Builder b = HuijinbaoSandbox.builder();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (!arg.startsWith("--") || eq < 0) {
                throw new IllegalArgumentException("options look like --name=value, got \"" + arg + "\"");
            }
            String name = arg.substring(2, eq);
            String value = arg.substring(eq + 1);
            switch (name) {
                case "port" -> b.port(Integer.parseInt(value));
                case "key-id" -> b.keyId(value);
                case "secret" -> b.secret(value);
                case "platform-account" -> b.platformAccount(value);
                case "platform-balance" -> b.platformBalance(Money.parseCny(value));
                case "control-token" -> b.controlToken(value);
                case "plan" -> {
                    String[] p = pair(name, value);
                    b.plan(PlanId.of(p[0]), Integer.parseInt(p[1]));
                }
                case "account" -> {
                    String[] p = pair(name, value);
                    b.account(p[0], Money.parseCny(p[1]));
                }
                default -> throw new IllegalArgumentException("unknown option --" + name);
            }
        }
        return b;
    }

    /** Prints what a client needs to connect. */
    static void describe(HuijinbaoSandbox sandbox, PrintStream out) {
        out.println("Huijinbao sandbox (HJB-API v1) listening on " + sandbox.baseUri());
        out.println("  key id:           " + sandbox.keyId());
        out.println("  secret (Base64):  " + sandbox.secret() + "   <- sandbox credential, not for production");
        out.println("  platform account: " + sandbox.platformAccount());
        out.println("  control API:      " + sandbox.baseUri() + "/control/state");
    }

    private static String[] pair(String name, String value) {
        int colon = value.lastIndexOf(':');
        if (colon <= 0 || colon == value.length() - 1) {
            throw new IllegalArgumentException("--" + name + " takes ID:VALUE, got \"" + value + "\"");
        }
        return new String[] {value.substring(0, colon), value.substring(colon + 1)};
    }
}
