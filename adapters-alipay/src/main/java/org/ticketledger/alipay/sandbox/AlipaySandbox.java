package org.ticketledger.alipay.sandbox;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.ticketledger.alipay.AlipayException;
import org.ticketledger.alipay.AlipayKeys;
import org.ticketledger.alipay.AlipayRail;
import org.ticketledger.ledger.Money;
import org.ticketledger.payment.IdentityType;
import org.ticketledger.payment.PartyAccount;
import org.ticketledger.payment.RailId;

/**
 * A local Alipay: an HTTP server ({@code com.sun.net.httpserver}) that speaks Alipay's OpenAPI on
 * {@code /gateway.do} for {@code alipay.trade.pay} (agreement debits), {@code alipay.trade.query},
 * {@code alipay.fund.trans.uni.transfer}, {@code alipay.fund.trans.common.query} and
 * {@code alipay.fund.account.query}. It verifies the app's RSA2 signature and timestamp, keeps
 * accounts, agreements and balances, honours {@code out_trade_no}/{@code out_biz_no} idempotency
 * as Alipay does, signs every reply with its own key over the exact bytes it sends, and posts
 * signed notifies to a request's {@code notify_url}.
 *
 * <p>Control it from Java (this class) or over HTTP under {@code /sandbox/} (see
 * {@link #controlUri()}; no authentication, so it binds to loopback unless told otherwise).
 * Faults are injected per method for the next N calls ({@link #injectFault}).
 *
 * <p>Use: {@code try (var sandbox = AlipaySandbox.start(); var rail = sandbox.railBuilder().build()) {...}}.
 * Thread-safe. Methods never return null; a bad argument (unknown account, negative amount) is an
 * {@link IllegalArgumentException}; failing to bind is an {@link UnableToStartSandboxException}.
 */
public final class AlipaySandbox implements AutoCloseable {

    /** The path of the gateway endpoint. */
    public static final String GATEWAY_PATH = "/gateway.do";

    static {
        // The JDK server writes a reply's headers and body separately; with Nagle on, the body
        // waits for the client's delayed ACK (~40 ms a call). The JDK reads this once, when the
        // first server of the JVM starts, so it is set before this class can start one, and only
        // if nobody chose otherwise.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final String appId;
    private final PublicKey appPublicKey;
    private final Optional<PrivateKey> appPrivateKey;
    private final KeyPair alipayKeys;
    private final SandboxBank bank;
    private final String platformUserId;
    private final HttpServer server;
    private final ExecutorService executor;
    private final ScheduledExecutorService notifyScheduler;
    private final ExecutorService notifyHttpExecutor;
    private final NotifySender notifier;
    private final URI baseUri;
    private final AtomicBoolean closed = new AtomicBoolean();

    private AlipaySandbox(Builder b) {
        this.appId = b.appId;
        KeyPair appKeys = b.appPublicKey == null ? AlipayKeys.generate() : null;
        this.appPublicKey = appKeys == null ? b.appPublicKey : appKeys.getPublic();
        this.appPrivateKey = appKeys == null ? Optional.empty() : Optional.of(appKeys.getPrivate());
        this.alipayKeys = b.alipayKeys == null ? AlipayKeys.generate() : b.alipayKeys;
        this.platformUserId = b.platformUserId;
        this.bank = new SandboxBank(b.clock, b.platformUserId, b.platformLogonId);
        this.executor = Executors.newCachedThreadPool(daemon("alipay-sandbox-"));
        this.notifyScheduler = Executors.newSingleThreadScheduledExecutor(daemon("alipay-sandbox-notify-"));
        this.notifyHttpExecutor = Executors.newCachedThreadPool(daemon("alipay-sandbox-notify-http-"));
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).executor(notifyHttpExecutor).build();
        this.notifier = new NotifySender(appId, platformUserId, alipayKeys.getPrivate(), b.clock,
                b.notifyRetryIntervals, notifyScheduler, http);
        KeyPair[] forger = new KeyPair[1];
        GatewayHandler gateway = new GatewayHandler(bank, appId, appPublicKey, alipayKeys.getPrivate(), () -> {
            synchronized (forger) {
                if (forger[0] == null) {
                    forger[0] = AlipayKeys.generate();
                }
                return forger[0].getPrivate();
            }
        }, b.clock, b.timestampTolerance, b.faultDelay, notifier);
        try {
            this.server = HttpServer.create(new InetSocketAddress(b.host, b.port), 0);
        } catch (IOException e) {
            executor.shutdownNow();
            notifyScheduler.shutdownNow();
            notifyHttpExecutor.shutdownNow();
            throw new UnableToStartSandboxException("cannot bind " + b.host + ":" + b.port, e);
        }
        server.setExecutor(executor);
        server.createContext(GATEWAY_PATH, gateway);
        server.createContext("/sandbox/", new ControlHandler(this));
        server.start();
        String host = b.host.isAnyLocalAddress() ? InetAddress.getLoopbackAddress().getHostAddress()
                : b.host.getHostAddress();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        this.baseUri = URI.create("http://" + host + ":" + server.getAddress().getPort());
    }

    /** A sandbox on a free loopback port with fresh keys and default settings. */
    public static AlipaySandbox start() {
        return builder().start();
    }

    /** A builder with the defaults of {@link #start()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** The gateway URL to give a client, e.g. {@code http://127.0.0.1:41234/gateway.do}. */
    public URI gatewayUri() {
        return baseUri.resolve(GATEWAY_PATH);
    }

    /** The base of the control API, e.g. {@code http://127.0.0.1:41234/sandbox/}. */
    public URI controlUri() {
        return baseUri.resolve("/sandbox/");
    }

    /** The app id the sandbox accepts. */
    public String appId() {
        return appId;
    }

    /** The public key the sandbox verifies requests with. */
    public PublicKey appPublicKey() {
        return appPublicKey;
    }

    /** The app's private key, when the sandbox generated the app's key pair (empty when one was given). */
    public Optional<PrivateKey> appPrivateKey() {
        return appPrivateKey;
    }

    /** The public key that verifies the sandbox's replies and notifies ("Alipay's public key"). */
    public PublicKey alipayPublicKey() {
        return alipayKeys.getPublic();
    }

    /** The platform's (the app owner's) Alipay user id: where collections land and payouts come from. */
    public String platformUserId() {
        return platformUserId;
    }

    /**
     * A rail builder pointed at this sandbox with its app id, keys and platform account; set
     * timeouts or a notify URL and build.
     *
     * @throws IllegalStateException if the app's key pair was given (the sandbox lacks the private key)
     */
    public AlipayRail.Builder railBuilder() {
        return AlipayRail.builder()
                .gateway(gatewayUri())
                .appId(appId)
                .appPrivateKey(appPrivateKey.orElseThrow(() -> new IllegalStateException(
                        "the app key pair was given to the sandbox; build the rail with your private key")))
                .alipayPublicKey(alipayPublicKey())
                .platformAccount(platformUserId);
    }

    /** Opens an account with a fresh user id. */
    public SandboxAccount openAccount(String logonId, String name, Money balance) {
        return bank.openAccount(logonId, name, balance);
    }

    /** Signs a debit agreement (GENERAL_WITHHOLDING) for the account; returns its {@code agreement_no}. */
    public String signAgreement(String userId) {
        return bank.signAgreement(userId);
    }

    /** Ends an agreement: debits under it are refused afterwards. */
    public void revokeAgreement(String agreementNo) {
        bank.revokeAgreement(agreementNo);
    }

    /**
     * Opens an account, signs a debit agreement for it, and returns the party as the rail sees
     * it: {@link IdentityType#USER_ID} with holder name and agreement, on {@link RailId#ALIPAY}.
     */
    public PartyAccount openParty(String logonId, String name, Money balance) {
        SandboxAccount account = openAccount(logonId, name, balance);
        String agreementNo = signAgreement(account.userId());
        return PartyAccount.of(RailId.ALIPAY, IdentityType.USER_ID, account.userId())
                .withHolderName(name)
                .withAgreement(agreementNo);
    }

    /** The account with this user id, if any. */
    public Optional<SandboxAccount> account(String userId) {
        return bank.findAccount(userId);
    }

    /** Every account, the platform's included, by user id. */
    public List<SandboxAccount> accounts() {
        return bank.accounts();
    }

    /** An account's balance. */
    public Money balance(String userId) {
        return bank.balance(userId);
    }

    /** Sets an account's balance. */
    public void setBalance(String userId, Money balance) {
        bank.setBalance(userId, balance);
    }

    /** Adds to an account's balance. */
    public void fund(String userId, Money amount) {
        bank.fund(userId, amount);
    }

    /** The platform account's balance. */
    public Money platformBalance() {
        return bank.balance(platformUserId);
    }

    /** Sets the platform account's balance. */
    public void setPlatformBalance(Money balance) {
        bank.setBalance(platformUserId, balance);
    }

    /** Makes the next {@code times} calls of {@code method} (e.g. {@code alipay.trade.pay}) fail with {@code fault}. */
    public void injectFault(String method, AlipayFault fault, int times) {
        bank.injectFault(method, fault, times);
    }

    /** Drops every fault not yet consumed. */
    public void clearFaults() {
        bank.clearFaults();
    }

    /** Every movement carried out, oldest first. */
    public List<SandboxTransaction> transactions() {
        return bank.transactions();
    }

    /** Every notify scheduled so far, oldest first. */
    public List<NotifyDelivery> notifyDeliveries() {
        return notifier.deliveries();
    }

    /** Stops the server at once; delayed replies still pending are dropped. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            server.stop(0);
            executor.shutdownNow();
            notifyScheduler.shutdownNow();
            notifyHttpExecutor.shutdownNow();
        }
    }

    @Override
    public String toString() {
        return "AlipaySandbox[" + gatewayUri() + ", app " + appId + "]";
    }

    private static ThreadFactory daemon(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /**
     * Configures an {@link AlipaySandbox}. Setters reject bad values at once. Not thread-safe.
     */
    public static final class Builder {
        private InetAddress host = InetAddress.getLoopbackAddress();
        private int port;
        private String appId = "2021000000000001";
        private String platformUserId = "2088000000000001";
        private String platformLogonId = "platform@sandbox.example";
        private PublicKey appPublicKey;
        private KeyPair alipayKeys;
        private Clock clock = Clock.systemUTC();
        private Duration timestampTolerance = Duration.ofMinutes(15);
        private Duration faultDelay = Duration.ofSeconds(2);
        private List<Duration> notifyRetryIntervals = List.of(Duration.ofMinutes(4), Duration.ofMinutes(10),
                Duration.ofMinutes(10), Duration.ofHours(1), Duration.ofHours(2), Duration.ofHours(6),
                Duration.ofHours(15));

        private Builder() {
        }

        /** The address to bind; loopback by default. */
        public Builder host(InetAddress host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /** The port; 0 (any free port) by default. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0-65535");
            }
            this.port = port;
            return this;
        }

        /** The app id the sandbox accepts; {@code 2021000000000001} by default. */
        public Builder appId(String appId) {
            Objects.requireNonNull(appId, "appId");
            if (!appId.matches("[0-9]{1,32}")) {
                throw new IllegalArgumentException("app id must be 1-32 digits");
            }
            this.appId = appId;
            return this;
        }

        /** The platform's Alipay user id; {@code 2088000000000001} by default. */
        public Builder platformUserId(String userId) {
            Objects.requireNonNull(userId, "platformUserId");
            if (!userId.matches("2088[0-9]{12}")) {
                throw new IllegalArgumentException("an Alipay user id is 2088 and 12 digits");
            }
            this.platformUserId = userId;
            return this;
        }

        /** The app's public key, when the app's key pair exists already; otherwise the sandbox makes one. */
        public Builder appPublicKey(PublicKey key) {
            this.appPublicKey = Objects.requireNonNull(key, "appPublicKey");
            return this;
        }

        /** The sandbox's own ("Alipay's") key pair; generated by default. */
        public Builder alipayKeyPair(KeyPair keys) {
            this.alipayKeys = Objects.requireNonNull(keys, "alipayKeyPair");
            return this;
        }

        /** The clock for timestamps checks and reply times; the system clock by default. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * How far a request timestamp may be from the sandbox's clock; 15 minutes by default
         * (Alipay's own tolerance is not documented).
         */
        public Builder timestampTolerance(Duration tolerance) {
            this.timestampTolerance = positive(tolerance, "timestampTolerance");
            return this;
        }

        /** How long {@link AlipayFault#DELAY_PAST_TIMEOUT} holds a reply; 2 s by default. */
        public Builder faultDelay(Duration delay) {
            this.faultDelay = positive(delay, "faultDelay");
            return this;
        }

        /** Waits between notify attempts; Alipay's 4m, 10m, 10m, 1h, 2h, 6h, 15h by default. */
        public Builder notifyRetryIntervals(List<Duration> intervals) {
            List<Duration> copy = List.copyOf(intervals);
            copy.forEach(d -> positive(d, "notify retry interval"));
            this.notifyRetryIntervals = copy;
            return this;
        }

        /**
         * Starts the sandbox.
         *
         * @throws UnableToStartSandboxException if the port cannot be bound
         */
        public AlipaySandbox start() {
            return new AlipaySandbox(this);
        }

        private static Duration positive(Duration d, String name) {
            Objects.requireNonNull(d, name);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive");
            }
            return d;
        }
    }

    /** The sandbox could not start. */
    public static final class UnableToStartSandboxException extends AlipayException {
        private static final long serialVersionUID = 1L;

        UnableToStartSandboxException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
