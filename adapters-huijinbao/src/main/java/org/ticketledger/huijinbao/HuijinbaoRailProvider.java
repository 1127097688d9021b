package org.ticketledger.huijinbao;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.ticketledger.payment.PaymentRail;
import org.ticketledger.payment.PlanId;
import org.ticketledger.payment.RailId;
import org.ticketledger.payment.RailProvider;

/**
 * Makes a {@link HuijinbaoRail} from {@code huijinbao.*} configuration for
 * {@link org.ticketledger.payment.RailRegistry#discover}:
 *
 * <ul>
 *   <li>{@code huijinbao.base-url} (its absence means "Huijinbao not configured"),
 *       {@code huijinbao.key-id}, {@code huijinbao.secret} (Base64), {@code huijinbao.platform-account}: required</li>
 *   <li>{@code huijinbao.plan}: the default wealth plan</li>
 *   <li>{@code huijinbao.connect-timeout-ms}, {@code huijinbao.request-timeout-ms},
 *       {@code huijinbao.call-timeout-ms}, {@code huijinbao.retry-delay-ms}, {@code huijinbao.read-attempts}, {@code huijinbao.write-attempts}</li>
 *   <li>{@code huijinbao.allow-plain-http}: {@code true} to allow http off loopback</li>
 * </ul>
 *
 * Misconfiguration throws {@link IllegalArgumentException} naming the key, never a secret value.
 * Stateless and thread-safe.
 */
public final class HuijinbaoRailProvider implements RailProvider {

    static final String PREFIX = "huijinbao.";

    @Override
    public RailId rail() {
        return RailId.HUIJINBAO;
    }

    @Override
    public Optional<PaymentRail> create(Map<String, String> config) {
        Objects.requireNonNull(config, "config");
        String base = config.get(PREFIX + "base-url");
        if (base == null || base.isBlank()) {
            return Optional.empty();
        }
        HuijinbaoRail.Builder b = HuijinbaoRail.builder();
        apply("base-url", () -> b.baseUri(base.strip()));
        apply("key-id", () -> b.keyId(required(config, "key-id")));
        String secret = required(config, "secret");
        try {
            b.secret(secret);
        } catch (IllegalArgumentException e) {
            // Signing.key's messages never include the secret; keep it that way here too.
            throw new IllegalArgumentException(PREFIX + "secret: " + e.getMessage());
        }
        apply("platform-account", () -> b.platformAccount(required(config, "platform-account")));
        optional(config, "plan").ifPresent(v -> apply("plan", () -> b.defaultPlan(PlanId.of(v))));
        optional(config, "connect-timeout-ms").ifPresent(v -> apply("connect-timeout-ms", () -> b.connectTimeout(millis(v))));
        optional(config, "request-timeout-ms").ifPresent(v -> apply("request-timeout-ms", () -> b.requestTimeout(millis(v))));
        optional(config, "call-timeout-ms").ifPresent(v -> apply("call-timeout-ms", () -> b.callTimeout(millis(v))));
        optional(config, "retry-delay-ms").ifPresent(v -> apply("retry-delay-ms", () -> b.retryDelay(millis(v))));
        optional(config, "read-attempts").ifPresent(v -> apply("read-attempts", () -> b.readAttempts(Integer.parseInt(v))));
        optional(config, "write-attempts").ifPresent(v -> apply("write-attempts", () -> b.writeAttempts(Integer.parseInt(v))));
        optional(config, "allow-plain-http").ifPresent(v -> b.allowPlainHttp(Boolean.parseBoolean(v)));
        try {
            return Optional.of(b.build());
        } catch (IllegalStateException e) {
            throw new IllegalArgumentException("huijinbao.*: " + e.getMessage(), e);
        }
    }

    private static Duration millis(String v) {
        return Duration.ofMillis(Long.parseLong(v));
    }

    private static void apply(String key, Runnable setter) {
        try {
            setter.run();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(PREFIX + key + ": " + e.getMessage(), e);
        }
    }

    private static String required(Map<String, String> config, String key) {
        return optional(config, key).orElseThrow(() -> new IllegalArgumentException(PREFIX + key + " is required"));
    }

    private static Optional<String> optional(Map<String, String> config, String key) {
        return Optional.ofNullable(config.get(PREFIX + key)).map(String::strip).filter(s -> !s.isEmpty());
    }
}
