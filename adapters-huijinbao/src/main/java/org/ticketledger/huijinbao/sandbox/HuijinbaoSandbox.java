package org.ticketledger.huijinbao.sandbox;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import javax.crypto.SecretKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.ticketledger.huijinbao.HuijinbaoRail;
import org.ticketledger.huijinbao.internal.Signing;
import org.ticketledger.ledger.Money;
import org.ticketledger.payment.IdentityType;
import org.ticketledger.payment.PartyAccount;
import org.ticketledger.payment.PlanId;
import org.ticketledger.payment.RailId;

/**
 * A local Huijinbao speaking HJB-API v1 over HTTP on loopback, for tests, demos and integrators:
 * one merchant key bound to one platform account, member accounts, wealth plans whose yield
 * accrues by {@link org.ticketledger.huijinbao.YieldFormula} on a business clock that can be moved
 * forward, request-id idempotency, and one-shot fault injection. Controlled through this Java API
 * or the HTTP control API under {@code /control/} (see PROTOCOL.md, "Sandbox").
 *
 * <p>Two clocks: the <em>business clock</em> (timestamps of orders, daily closes, yield) is the
 * configured clock plus whatever {@link #advance} added; signature timestamps are judged against
 * the <em>transport clock</em> (real time by default), so moving business time by 90 days does
 * not make every client's signature stale.
 *
 * <p>Methods never return null; they throw {@link IllegalArgumentException} for unknown accounts
 * or plans. Thread-safe.
 */
public final class HuijinbaoSandbox implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HuijinbaoSandbox.class);
    private static final Pattern ACCOUNT_NO = Pattern.compile("[A-Za-z0-9_-]{1,32}");
    private static final AtomicInteger THREADS = new AtomicInteger();

    /** The default per-transaction limit: 100,000,000.00 yuan (一亿). */
    public static final Money DEFAULT_LIMIT = Money.parseCny("100000000.00");

    static {
        // The JDK server writes headers and body separately; with Nagle on, each reply then waits
        // for the client's delayed ACK (~40 ms). Only read when the server classes initialise, so
        // set it here, before the first server, and only if nobody chose otherwise.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final String keyId;
    private final String secret;
    private final SandboxBank bank;
    private final FaultQueue faults = new FaultQueue();
    private final Clock clock;
    private final AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);
    private final AtomicInteger inFlight = new AtomicInteger();
    private final HttpServer server;
    private final ExecutorService executor;
    private final URI baseUri;
    private final Optional<Money> perTransactionLimit;

    private HuijinbaoSandbox(Builder b) {
        this.keyId = b.keyId;
        this.secret = b.secret;
        this.clock = b.clock;
        this.perTransactionLimit = b.perTransactionLimit;
        this.bank = new SandboxBank(this::now, b.platformAccount, b.perTransactionLimit);
        if (b.platformBalance.isPositive()) {
            bank.deposit(b.platformAccount, b.platformBalance);
        }
        b.plans.forEach(bank::openPlan);
        b.accounts.forEach(bank::openAccount);
        SecretKey key = Signing.key(secret);
        try {
            this.server = HttpServer.create(new InetSocketAddress(b.host, b.port), 64);
        } catch (IOException e) {
            throw new UnableToStartSandboxException("cannot listen on " + b.host.getHostAddress() + ":" + b.port, e);
        }
        this.executor = Executors.newFixedThreadPool(b.threads, r -> {
            Thread t = new Thread(r, "huijinbao-sandbox-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/v1/", new ApiHandler(keyId, key, bank, faults, b.transportClock, inFlight));
        server.createContext("/control/", new ControlHandler(this, b.controlToken));
        server.start();
        InetSocketAddress bound = server.getAddress();
        String host = bound.getAddress().getHostAddress();
        this.baseUri = URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + bound.getPort());
        LOG.info("Huijinbao sandbox (HJB-API v1) listening on {}", baseUri);
    }

    /** A builder with loopback, an ephemeral port, a random secret and the system clock. */
    public static Builder builder() {
        return new Builder();
    }

    /** A sandbox with every default, started. */
    public static HuijinbaoSandbox start() {
        return builder().start();
    }

    // ------------------------------------------------------------ wiring

    /** Where the protocol is served, e.g. {@code http://127.0.0.1:54321}. */
    public URI baseUri() {
        return baseUri;
    }

    public String keyId() {
        return keyId;
    }

    /** The sandbox's HMAC secret (Base64): a test credential, handed out so clients can be configured. */
    public String secret() {
        return secret;
    }

    public String platformAccount() {
        return bank.platformAccount();
    }

    /**
     * A rail builder already pointed at this sandbox with its key, secret and platform account;
     * add timeouts or a default plan and build.
     */
    public HuijinbaoRail.Builder railBuilder() {
        return HuijinbaoRail.builder()
                .baseUri(baseUri)
                .keyId(keyId)
                .secret(secret)
                .platformAccount(platformAccount());
    }

    // ------------------------------------------------------------ accounts

    /** Opens a member account with an opening balance and returns it as a party account. */
    public PartyAccount openAccount(String accountNo, Money openingBalance) {
        requireAccountNo(accountNo);
        Objects.requireNonNull(openingBalance, "openingBalance");
        bank.openAccount(accountNo, openingBalance);
        return partyAccount(accountNo);
    }

    /** The SPI party account for a member account number (whether or not it exists). */
    public static PartyAccount partyAccount(String accountNo) {
        return PartyAccount.of(RailId.HUIJINBAO, IdentityType.ACCOUNT_NO, accountNo);
    }

    /** Adds money from outside (a top-up) to a member account or the platform account. */
    public void deposit(String accountNo, Money amount) {
        Objects.requireNonNull(amount, "amount");
        bank.deposit(accountNo, amount);
    }

    /** Sets the balance of a member account or the platform account, as if money came or went outside the API. */
    public void setBalance(String accountNo, Money balance) {
        Objects.requireNonNull(balance, "balance");
        bank.setBalance(accountNo, balance);
    }

    /** The largest amount one write may move (AMOUNT_LIMIT_EXCEEDED above it), if limited. */
    public Optional<Money> perTransactionLimit() {
        return perTransactionLimit;
    }

    /** Tops up the platform account. */
    public void fundPlatform(Money amount) {
        deposit(platformAccount(), amount);
    }

    /** Freezes a member account: transfers to or from it are refused with ACCOUNT_FROZEN. */
    public void freeze(String accountNo) {
        bank.setFrozen(accountNo, true);
    }

    public void unfreeze(String accountNo) {
        bank.setFrozen(accountNo, false);
    }

    /** The balance of a member account or the platform account. */
    public Money balance(String accountNo) {
        return bank.balanceOf(accountNo);
    }

    public Money platformBalance() {
        return bank.balanceOf(platformAccount());
    }

    public boolean hasAccount(String accountNo) {
        return bank.hasAccount(accountNo);
    }

    // ------------------------------------------------------------ plans

    /** Opens a wealth plan with an annual rate in basis points (285 = 2.85 %). */
    public void openPlan(PlanId plan, int annualRateBp) {
        bank.openPlan(Objects.requireNonNull(plan, "plan"), annualRateBp);
    }

    /** Changes a plan's rate from now on: daily closes already passed keep the old rate. */
    public void setRate(PlanId plan, int annualRateBp) {
        bank.setRate(plan, annualRateBp);
    }

    /** Closes a plan "temporarily": subscriptions and redemptions are refused with PLAN_CLOSED; yield keeps accruing. */
    public void closePlan(PlanId plan) {
        bank.setOpen(plan, false);
    }

    public void reopenPlan(PlanId plan) {
        bank.setOpen(plan, true);
    }

    /** The platform's position in a plan, as of the business clock. */
    public SandboxPosition position(PlanId plan) {
        return bank.positionOf(plan, platformAccount());
    }

    // ------------------------------------------------------------ time

    /** The business clock's now. */
    public Instant now() {
        return clock.instant().plus(offset.get());
    }

    /** Moves the business clock forward. */
    public void advance(Duration duration) {
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative()) {
            throw new IllegalArgumentException("the business clock only moves forward");
        }
        offset.updateAndGet(o -> o.plus(duration));
    }

    /** Moves the business clock forward by whole days. */
    public void advanceDays(long days) {
        advance(Duration.ofDays(days));
    }

    // ------------------------------------------------------------ faults

    /**
     * Arms a one-shot fault for the next request of one of {@code operations}; with none given,
     * the next write (or, for {@link Fault.Kind#PLAN_CLOSED}, the next wealth write). Faults fire
     * in the order they were armed.
     */
    public void injectFault(Fault fault, SandboxOperation... operations) {
        Objects.requireNonNull(fault, "fault");
        Set<SandboxOperation> targets;
        if (operations.length > 0) {
            targets = EnumSet.copyOf(Arrays.asList(operations));
        } else if (fault.kind() == Fault.Kind.PLAN_CLOSED) {
            targets = EnumSet.of(SandboxOperation.SUBSCRIBE, SandboxOperation.REDEEM, SandboxOperation.REDEEM_ALL);
        } else {
            targets = SandboxOperation.WRITES;
        }
        faults.arm(fault, targets);
    }

    /** Disarms every fault not yet fired. */
    public void clearFaults() {
        faults.clear();
    }

    /** How many armed faults have not fired yet. */
    public int pendingFaults() {
        return faults.size();
    }

    // ------------------------------------------------------------ inspection

    /** Every order recorded so far (successes and refusals), oldest first. */
    public List<SandboxOrder> orders() {
        return bank.orders();
    }

    /**
     * Σ account balances + Σ principal in plans: all the money the sandbox holds.
     *
     * @throws ArithmeticException if the total exceeds a long of fen (only in overflow experiments)
     */
    public Money totalFunds() {
        return Money.cny(bank.totalFunds().longValueExact());
    }

    /** All money that came in from outside (opening balances, deposits). */
    public Money deposited() {
        return Money.cny(bank.deposited().longValueExact());
    }

    /** All yield paid out by redeem-all. {@code totalFunds() == deposited() + yieldPaid()} always holds. */
    public Money yieldPaid() {
        return Money.cny(bank.yieldPaid().longValueExact());
    }

    /**
     * Whether the books balance: every fen the sandbox holds came in as a deposit or was paid as
     * yield, so nothing was created or lost by any request, fault or retry.
     */
    public boolean isConserved() {
        return bank.totalFunds().equals(bank.deposited().add(bank.yieldPaid()));
    }

    /**
     * Waits until no request is being served (e.g. a delayed one the client gave up on).
     *
     * @return whether it became idle within {@code timeout}
     */
    public boolean awaitIdle(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (inFlight.get() > 0) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    SandboxBank bank() {
        return bank;
    }

    /** Stops serving at once and releases the port and threads. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "HuijinbaoSandbox[" + baseUri + ", key " + keyId + ", platform account " + platformAccount() + "]";
    }

    private static void requireAccountNo(String accountNo) {
        Objects.requireNonNull(accountNo, "accountNo");
        if (!ACCOUNT_NO.matcher(accountNo).matches()) {
            throw new IllegalArgumentException("account number must be 1-32 of [A-Za-z0-9_-]");
        }
    }

    /** Configures and starts a {@link HuijinbaoSandbox}. Not thread-safe. */
    public static final class Builder {

        private InetAddress host = InetAddress.getLoopbackAddress();
        private int port;
        private String keyId = "sandbox-key";
        private String secret = Signing.newSecret(new SecureRandom());
        private String platformAccount = "PLATFORM0001";
        private Money platformBalance = Money.cny(0);
        private Clock clock = Clock.systemUTC();
        private Clock transportClock = Clock.systemUTC();
        private Optional<Money> perTransactionLimit = Optional.of(DEFAULT_LIMIT);
        private Optional<String> controlToken = Optional.empty();
        private final Map<PlanId, Integer> plans = new LinkedHashMap<>();
        private final Map<String, Money> accounts = new LinkedHashMap<>();
        private int threads = 16;

        private Builder() {
        }

        /** The address to listen on (default loopback). The control API is unauthenticated unless a token is set. */
        public Builder host(InetAddress host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /** The port; 0 (default) picks a free one. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0-65535");
            }
            this.port = port;
            return this;
        }

        public Builder keyId(String keyId) {
            if (!Signing.isValidKeyId(keyId)) {
                throw new IllegalArgumentException("key id must be 1-64 of [A-Za-z0-9_.-]");
            }
            this.keyId = keyId;
            return this;
        }

        /** The HMAC secret as Base64 (at least 32 bytes); default: random. */
        public Builder secret(String base64Secret) {
            Signing.key(base64Secret);
            this.secret = base64Secret.strip();
            return this;
        }

        public Builder platformAccount(String accountNo) {
            requireAccountNo(accountNo);
            this.platformAccount = accountNo;
            return this;
        }

        /** The platform account's opening balance. */
        public Builder platformBalance(Money balance) {
            this.platformBalance = Objects.requireNonNull(balance, "balance");
            return this;
        }

        /** A member account to open at start. */
        public Builder account(String accountNo, Money openingBalance) {
            requireAccountNo(accountNo);
            accounts.put(accountNo, Objects.requireNonNull(openingBalance, "openingBalance"));
            return this;
        }

        /** A wealth plan to open at start, with its annual rate in basis points. */
        public Builder plan(PlanId plan, int annualRateBp) {
            plans.put(Objects.requireNonNull(plan, "plan"), annualRateBp);
            return this;
        }

        /** The base of the business clock (default system UTC); {@link #advance} adds to it. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The clock request timestamps are judged against (default system UTC). */
        public Builder transportClock(Clock clock) {
            this.transportClock = Objects.requireNonNull(clock, "transportClock");
            return this;
        }

        /** Refuse single amounts above this with AMOUNT_LIMIT_EXCEEDED (default 100,000,000.00 yuan). */
        public Builder perTransactionLimit(Money limit) {
            Objects.requireNonNull(limit, "limit");
            if (!limit.isPositive() || !Money.CNY.equals(limit.currency())) {
                throw new IllegalArgumentException("limit must be a positive CNY amount");
            }
            this.perTransactionLimit = Optional.of(limit);
            return this;
        }

        /** No per-transaction limit: only amounts that would overflow an account are refused. */
        public Builder noTransactionLimit() {
            this.perTransactionLimit = Optional.empty();
            return this;
        }

        /** Require header {@code X-HJB-Control-Token} with this value on the control API. */
        public Builder controlToken(String token) {
            Objects.requireNonNull(token, "token");
            if (token.isBlank()) {
                throw new IllegalArgumentException("control token must not be blank");
            }
            this.controlToken = Optional.of(token);
            return this;
        }

        /** Threads serving requests (delayed requests hold one each); default 16. */
        public Builder threads(int threads) {
            if (threads < 2 || threads > 256) {
                throw new IllegalArgumentException("threads must be 2-256");
            }
            this.threads = threads;
            return this;
        }

        /**
         * Starts the sandbox.
         *
         * @throws UnableToStartSandboxException if the port cannot be bound
         */
        public HuijinbaoSandbox start() {
            return new HuijinbaoSandbox(this);
        }
    }
}
