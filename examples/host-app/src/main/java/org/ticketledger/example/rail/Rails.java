package org.ticketledger.example.rail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.ticketledger.alipay.AlipayKeys;
import org.ticketledger.alipay.AlipayNotifications;
import org.ticketledger.alipay.AlipayRail;
import org.ticketledger.alipay.sandbox.AlipaySandbox;
import org.ticketledger.example.ops.HealthCheck;
import org.ticketledger.huijinbao.HuijinbaoRail;
import org.ticketledger.huijinbao.sandbox.HuijinbaoSandbox;
import org.ticketledger.payment.BalanceResult;
import org.ticketledger.payment.PaymentRail;
import org.ticketledger.payment.RailRegistry;

/**
 * The payment rails the platform talks to, and the in-process sandboxes that stand in for them by
 * default. This is the one place that decides sandbox or real gateway; the rest of the app sees a
 * {@link RailRegistry}. Closing closes the rails and stops the sandboxes. Thread-safe.
 */
public final class Rails implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Rails.class);

    /** Where one rail is reached, for the startup banner. */
    public record Endpoint(String rail, URI url, boolean sandbox) {
        public Endpoint {
            Objects.requireNonNull(rail, "rail");
            Objects.requireNonNull(url, "url");
        }
    }

    /** A real Alipay gateway and the app's credentials. */
    public record AlipaySettings(URI gateway, String appId, Path appPrivateKeyFile, Path alipayPublicKeyFile,
                                 String platformAccount) {
        public AlipaySettings {
            Objects.requireNonNull(gateway, "gateway");
            Objects.requireNonNull(appId, "appId");
            Objects.requireNonNull(appPrivateKeyFile, "appPrivateKeyFile");
            Objects.requireNonNull(alipayPublicKeyFile, "alipayPublicKeyFile");
            Objects.requireNonNull(platformAccount, "platformAccount");
        }
    }

    /**
     * A Huijinbao gateway (a real one, or a sandbox running in another process) and the merchant
     * credentials; the secret file holds the Base64 HMAC secret.
     */
    public record HuijinbaoSettings(URI baseUri, String keyId, Path secretFile, String platformAccount) {
        public HuijinbaoSettings {
            Objects.requireNonNull(baseUri, "baseUri");
            Objects.requireNonNull(keyId, "keyId");
            Objects.requireNonNull(secretFile, "secretFile");
            Objects.requireNonNull(platformAccount, "platformAccount");
        }
    }

    private final RailRegistry registry;
    private final List<Endpoint> endpoints;
    private final List<HealthCheck> checks;
    private final Optional<AlipaySandbox> alipaySandbox;
    private final Optional<HuijinbaoSandbox> huijinbaoSandbox;
    private final Optional<AlipayNotifications> alipayNotifications;
    private final List<AutoCloseable> owned;

    private Rails(RailRegistry registry, List<Endpoint> endpoints, List<HealthCheck> checks,
                  Optional<AlipaySandbox> alipaySandbox, Optional<HuijinbaoSandbox> huijinbaoSandbox,
                  Optional<AlipayNotifications> alipayNotifications, List<AutoCloseable> owned) {
        this.registry = registry;
        this.endpoints = List.copyOf(endpoints);
        this.checks = List.copyOf(checks);
        this.alipaySandbox = alipaySandbox;
        this.huijinbaoSandbox = huijinbaoSandbox;
        this.alipayNotifications = alipayNotifications;
        this.owned = List.copyOf(owned);
    }

    /** No rails: the platform serves its API, but nothing can move money. */
    public static Rails none() {
        return new Rails(RailRegistry.empty(), List.of(), List.of(), Optional.empty(), Optional.empty(), Optional.empty(), List.of());
    }

    /** A builder; each rail is a sandbox unless real settings are given. */
    public static Builder builder() {
        return new Builder();
    }

    /** The rails by id. */
    public RailRegistry registry() {
        return registry;
    }

    /** The Alipay sandbox, when Alipay is sandboxed (the demo and tests open accounts in it). */
    public Optional<AlipaySandbox> alipaySandbox() {
        return alipaySandbox;
    }

    /** The Huijinbao sandbox (payments and wealth plans), when Huijinbao is sandboxed. */
    public Optional<HuijinbaoSandbox> huijinbaoSandbox() {
        return huijinbaoSandbox;
    }

    /** The verifier of Alipay notifies, when Alipay is wired. */
    public Optional<AlipayNotifications> alipayNotifications() {
        return alipayNotifications;
    }

    /** The rails and where they are. */
    public List<Endpoint> endpoints() {
        return endpoints;
    }

    /** One health check per rail. */
    public List<HealthCheck> healthChecks() {
        return checks;
    }

    @Override
    public void close() {
        RuntimeException failure = null;
        for (int i = owned.size() - 1; i >= 0; i--) {
            AutoCloseable c = owned.get(i);
            try {
                c.close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = new IllegalStateException("could not close a rail", e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** Chooses each rail. Not thread-safe. */
    public static final class Builder {
        private Optional<AlipaySettings> alipay = Optional.empty();
        private Optional<URI> alipayNotifyUrl = Optional.empty();
        private Clock clock = Clock.systemUTC();
        private Optional<HuijinbaoSettings> huijinbao = Optional.empty();
        private Optional<Duration> requestTimeout = Optional.empty();

        private Builder() {
        }

        /**
         * The business clock of the Huijinbao sandbox (daily closes, so yield): give it the
         * platform's clock so that moving one moves both (default system UTC). Request signatures
         * keep using the wall clock.
         */
        public Builder clock(Clock c) {
            this.clock = Objects.requireNonNull(c, "clock");
            return this;
        }

        /** Talk to this Huijinbao gateway instead of an in-process sandbox. */
        public Builder huijinbao(HuijinbaoSettings settings) {
            this.huijinbao = Optional.of(Objects.requireNonNull(settings, "settings"));
            return this;
        }

        /**
         * How long one rail request may wait for its reply before its outcome counts as unknown
         * (default: each adapter's own, 10-15 s). Short values suit fault drills, where replies
         * are held back on purpose.
         */
        public Builder requestTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive");
            }
            this.requestTimeout = Optional.of(timeout);
            return this;
        }

        /** Talk to a real Alipay gateway instead of the sandbox. */
        public Builder alipay(AlipaySettings settings) {
            this.alipay = Optional.of(Objects.requireNonNull(settings, "settings"));
            return this;
        }

        /** Where Alipay should post trade notifies (the platform's public notify endpoint). */
        public Builder alipayNotifyUrl(URI url) {
            this.alipayNotifyUrl = Optional.of(Objects.requireNonNull(url, "url"));
            return this;
        }

        /**
         * Starts the sandboxes and builds the rails.
         *
         * @throws RuntimeException if a key file cannot be read or a sandbox cannot bind; nothing stays open then
         */
        public Rails start() {
            List<AutoCloseable> owned = new ArrayList<>();
            try {
                RailRegistry registry = RailRegistry.empty();
                List<Endpoint> endpoints = new ArrayList<>();
                List<HealthCheck> checks = new ArrayList<>();
                Optional<AlipaySandbox> sandbox = Optional.empty();
                Optional<HuijinbaoSandbox> huijinbaoSandbox;
                AlipayRail.Builder rb;
                AlipayNotifications notifications;
                if (alipay.isPresent()) {
                    AlipaySettings s = alipay.get();
                    PrivateKey key = AlipayKeys.readPrivateKey(s.appPrivateKeyFile());
                    PublicKey alipayKey = AlipayKeys.readPublicKey(s.alipayPublicKeyFile());
                    rb = AlipayRail.builder().gateway(s.gateway()).appId(s.appId()).appPrivateKey(key)
                            .alipayPublicKey(alipayKey).platformAccount(s.platformAccount());
                    notifications = AlipayNotifications.of(alipayKey, s.appId());
                    endpoints.add(new Endpoint("alipay", s.gateway(), false));
                } else {
                    AlipaySandbox sb = AlipaySandbox.start();
                    owned.add(sb);
                    sandbox = Optional.of(sb);
                    rb = sb.railBuilder();
                    notifications = AlipayNotifications.of(sb.alipayPublicKey(), sb.appId());
                    endpoints.add(new Endpoint("alipay", sb.gatewayUri(), true));
                    endpoints.add(new Endpoint("alipay-ctl", sb.controlUri(), true));
                }
                alipayNotifyUrl.ifPresent(rb::notifyUrl);
                requestTimeout.ifPresent(rb::requestTimeout);
                AlipayRail rail = rb.build();
                owned.add(rail);
                registry.register(rail);
                HuijinbaoRail.Builder hb;
                if (huijinbao.isPresent()) {
                    HuijinbaoSettings s = huijinbao.get();
                    hb = HuijinbaoRail.builder().baseUri(s.baseUri()).keyId(s.keyId()).secret(readSecret(s.secretFile()))
                            .platformAccount(s.platformAccount());
                    huijinbaoSandbox = Optional.empty();
                    endpoints.add(new Endpoint("huijinbao", s.baseUri(), false));
                } else {
                    HuijinbaoSandbox hjb = HuijinbaoSandbox.builder().clock(clock).start();
                    owned.add(hjb);
                    hb = hjb.railBuilder();
                    huijinbaoSandbox = Optional.of(hjb);
                    endpoints.add(new Endpoint("huijinbao", hjb.baseUri(), true));
                }
                requestTimeout.ifPresent(hb::requestTimeout);
                HuijinbaoRail hjbRail = hb.build();
                owned.add(hjbRail);
                registry.register(hjbRail);
                checks.add(huijinbao.isPresent() ? configured("rail:huijinbao", huijinbao.get().baseUri())
                        : balanceCheck("rail:huijinbao", hjbRail, "url", huijinbaoSandbox.orElseThrow().baseUri()));
                // Probing a real gateway on every health check would spend its rate limit: only
                // sandboxes are asked for a balance.
                checks.add(alipay.isPresent() ? configured("rail:alipay", endpoints.get(0).url())
                        : balanceCheck("rail:alipay", rail, "control", sandbox.orElseThrow().controlUri()));
                return new Rails(registry, endpoints, checks, sandbox, huijinbaoSandbox, Optional.of(notifications), owned);
            } catch (RuntimeException e) {
                for (int i = owned.size() - 1; i >= 0; i--) {
                    AutoCloseable c = owned.get(i);
                    try {
                        c.close();
                    } catch (Exception suppressed) {
                        e.addSuppressed(suppressed);
                    }
                }
                throw e;
            }
        }

        private static String readSecret(Path file) {
            try {
                return Files.readString(file, StandardCharsets.US_ASCII).strip();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the Huijinbao secret file " + file, e);
            }
        }

        private static HealthCheck configured(String name, URI url) {
            return new HealthCheck() {
                @Override
                public String name() {
                    return name;
                }

                @Override
                public Status check() {
                    return Status.up(Map.of("gateway", url.toString(), "probe", "not probed (real gateway)"));
                }
            };
        }

        private static HealthCheck balanceCheck(String name, PaymentRail rail, String urlKey, URI control) {
            return new HealthCheck() {
                @Override
                public String name() {
                    return name;
                }

                @Override
                public Status check() {
                    try {
                        BalanceResult b = rail.balance();
                        if (b instanceof BalanceResult.Available a) {
                            return Status.up(Map.of("sandbox", true, urlKey, control.toString(),
                                    "platformBalance", a.available().toDecimalString()));
                        }
                        return Status.down(((BalanceResult.Unavailable) b).cause());
                    } catch (RuntimeException e) {
                        LOG.warn("rail health check failed", e);
                        return Status.down(e.getClass().getSimpleName());
                    }
                }
            };
        }
    }
}
