package org.ticketledger.alipay.internal;

import java.net.URI;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import org.ticketledger.alipay.AlipayKeys;
import org.ticketledger.alipay.AlipayRail;
import org.ticketledger.payment.PaymentRail;
import org.ticketledger.payment.RailId;
import org.ticketledger.payment.RailProvider;

/**
 * Makes an {@link AlipayRail} from {@code alipay.*} settings, for
 * {@link org.ticketledger.payment.RailRegistry#discover}:
 * <pre>
 * alipay.gateway                  required; without it this provider makes nothing
 * alipay.app-id                   required
 * alipay.app-private-key          PKCS#8 Base64 or PEM text, or
 * alipay.app-private-key-file     a file holding it
 * alipay.alipay-public-key        X.509 Base64 or PEM text, or
 * alipay.alipay-public-key-file   a file holding it
 * alipay.platform-account         required: the platform's Alipay user id
 * alipay.notify-url               optional
 * alipay.connect-timeout          optional, ISO-8601 (PT5S) or milliseconds
 * alipay.request-timeout          optional, ISO-8601 (PT15S) or milliseconds
 * alipay.read-retries             optional, 0-10
 * </pre>
 * A present but broken setting is an {@link IllegalArgumentException} naming the key, never its
 * value. Public only because ServiceLoader needs it; not API.
 */
public final class AlipayRailProvider implements RailProvider {

    static final String PREFIX = "alipay.";

    @Override
    public RailId rail() {
        return RailId.ALIPAY;
    }

    @Override
    public Optional<PaymentRail> create(Map<String, String> config) {
        String gateway = config.get(PREFIX + "gateway");
        if (gateway == null || gateway.isBlank()) {
            return Optional.empty();
        }
        AlipayRail.Builder b = AlipayRail.builder()
                .gateway(URI.create(gateway.strip()))
                .appId(required(config, "app-id"))
                .appPrivateKey(privateKey(config))
                .alipayPublicKey(publicKey(config))
                .platformAccount(required(config, "platform-account"));
        optional(config, "notify-url").ifPresent(u -> b.notifyUrl(URI.create(u)));
        optional(config, "connect-timeout").ifPresent(t -> b.connectTimeout(duration("connect-timeout", t)));
        optional(config, "request-timeout").ifPresent(t -> b.requestTimeout(duration("request-timeout", t)));
        optional(config, "read-retries").ifPresent(r -> {
            try {
                b.readRetries(Integer.parseInt(r));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(PREFIX + "read-retries must be a number");
            }
        });
        return Optional.of(b.build());
    }

    private static PrivateKey privateKey(Map<String, String> config) {
        Optional<String> inline = optional(config, "app-private-key");
        Optional<String> file = optional(config, "app-private-key-file");
        if (inline.isPresent() == file.isPresent()) {
            throw new IllegalArgumentException("set exactly one of " + PREFIX + "app-private-key and "
                    + PREFIX + "app-private-key-file");
        }
        return inline.map(AlipayKeys::privateKey).orElseGet(() -> AlipayKeys.readPrivateKey(Path.of(file.get())));
    }

    private static PublicKey publicKey(Map<String, String> config) {
        Optional<String> inline = optional(config, "alipay-public-key");
        Optional<String> file = optional(config, "alipay-public-key-file");
        if (inline.isPresent() == file.isPresent()) {
            throw new IllegalArgumentException("set exactly one of " + PREFIX + "alipay-public-key and "
                    + PREFIX + "alipay-public-key-file");
        }
        return inline.map(AlipayKeys::publicKey).orElseGet(() -> AlipayKeys.readPublicKey(Path.of(file.get())));
    }

    private static String required(Map<String, String> config, String key) {
        return optional(config, key).orElseThrow(() -> new IllegalArgumentException(PREFIX + key + " is required"));
    }

    private static Optional<String> optional(Map<String, String> config, String key) {
        return Optional.ofNullable(config.get(PREFIX + key)).map(String::strip).filter(v -> !v.isEmpty());
    }

    private static Duration duration(String key, String value) {
        try {
            return value.chars().allMatch(Character::isDigit) ? Duration.ofMillis(Long.parseLong(value))
                    : Duration.parse(value);
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new IllegalArgumentException(PREFIX + key + " must be ISO-8601 (PT5S) or milliseconds");
        }
    }
}
