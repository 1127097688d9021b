package org.ticketledger.alipay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ticketledger.alipay.internal.AlipayRailProvider;
import org.ticketledger.alipay.sandbox.AlipaySandbox;
import org.ticketledger.ledger.Money;
import org.ticketledger.payment.BalanceResult;
import org.ticketledger.payment.RailId;
import org.ticketledger.payment.RailRegistry;

/** ServiceLoader discovery from {@code alipay.*} settings. */
class AlipayRailProviderIT {

    @Test
    void registryDiscoversAWorkingAlipayRailFromSettings(@TempDir Path dir) throws Exception {
        Path key = dir.resolve("app_private_key.pem");
        Files.writeString(key, Kat.text("app_private_key.pem"));
        try (AlipaySandbox sandbox = AlipaySandbox.builder()
                .appPublicKey(Kat.appPublicKey())
                .alipayKeyPair(new KeyPair(Kat.alipayPublicKey(), Kat.alipayPrivateKey()))
                .start()) {
            sandbox.setPlatformBalance(Money.parseCny("12.34"));
            Map<String, String> config = new HashMap<>();
            config.put("alipay.gateway", sandbox.gatewayUri().toString());
            config.put("alipay.app-id", sandbox.appId());
            config.put("alipay.app-private-key-file", key.toString());
            config.put("alipay.alipay-public-key", Kat.text("alipay_public_key.b64"));
            config.put("alipay.platform-account", sandbox.platformUserId());
            config.put("alipay.request-timeout", "PT2S");
            config.put("alipay.connect-timeout", "1000");
            config.put("alipay.read-retries", "1");

            try (RailRegistry registry = RailRegistry.discover(config)) {
                assertThat(registry.get(RailId.ALIPAY).balance()).isInstanceOfSatisfying(BalanceResult.Available.class,
                        b -> assertThat(b.available()).isEqualTo(Money.parseCny("12.34")));
            }
        }
    }

    @Test
    void withoutAGatewayTheProviderMakesNothing() {
        assertThat(new AlipayRailProvider().create(Map.of("alipay.app-id", "1"))).isEmpty();
        assertThat(RailRegistry.discover(Map.of()).find(RailId.ALIPAY)).isEmpty();
    }

    @Test
    void brokenSettingsNameTheKeyButNeverTheValue() {
        String secret = Kat.text("app_private_key.b64");
        Map<String, String> config = new HashMap<>(Map.of(
                "alipay.gateway", "https://openapi.alipay.com/gateway.do",
                "alipay.app-id", "2021000000000001",
                "alipay.app-private-key", secret,
                "alipay.alipay-public-key", secret,
                "alipay.platform-account", "2088000000000001"));
        assertThatThrownBy(() -> new AlipayRailProvider().create(config))
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(secret.substring(40, 80)));

        config.put("alipay.alipay-public-key", Kat.text("alipay_public_key.b64"));
        config.put("alipay.app-private-key-file", "/somewhere");
        assertThatThrownBy(() -> new AlipayRailProvider().create(config))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exactly one of alipay.app-private-key")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(secret.substring(40, 80)));

        config.remove("alipay.app-private-key-file");
        config.put("alipay.request-timeout", "soon");
        assertThatThrownBy(() -> new AlipayRailProvider().create(config))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("alipay.request-timeout");

        config.remove("alipay.request-timeout");
        config.remove("alipay.platform-account");
        assertThatThrownBy(() -> new AlipayRailProvider().create(config))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("alipay.platform-account");
    }
}
