package org.ticketledger.huijinbao;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.ticketledger.payment.PaymentRail;
import org.ticketledger.payment.PlanId;
import org.ticketledger.payment.RailId;
import org.ticketledger.payment.RailRegistry;

class HuijinbaoRailProviderTest {

    private static final String SECRET = "SEpCLUFQSSB2MSBleGFtcGxlIHNlY3JldCAtIDMyKyBieXRlcywgbmV2ZXIgdXNlIGl0";

    private static Map<String, String> config() {
        Map<String, String> c = new HashMap<>();
        c.put("huijinbao.base-url", "https://api.huijinbao.example/open");
        c.put("huijinbao.key-id", "demo-key-01");
        c.put("huijinbao.secret", SECRET);
        c.put("huijinbao.platform-account", "PLAT0001");
        c.put("huijinbao.plan", "HJB-WM-90");
        c.put("huijinbao.request-timeout-ms", "2500");
        c.put("huijinbao.read-attempts", "2");
        c.put("huijinbao.write-attempts", "1");
        return c;
    }

    @Test
    void buildsTheRailFromHuijinbaoKeys() {
        PaymentRail rail = new HuijinbaoRailProvider().create(config()).orElseThrow();

        assertThat(rail).isInstanceOfSatisfying(HuijinbaoRail.class, r -> {
            assertThat(r.platformAccount()).isEqualTo("PLAT0001");
            assertThat(r.defaultPlan()).contains(PlanId.of("HJB-WM-90"));
            assertThat(r.baseUri()).hasToString("https://api.huijinbao.example/open");
        });
        rail.close();
    }

    @Test
    void isNotConfiguredWithoutABaseUrl() {
        Map<String, String> c = config();
        c.remove("huijinbao.base-url");

        assertThat(new HuijinbaoRailProvider().create(c)).isEmpty();
    }

    @Test
    void namesTheMissingOrBadKeyButNeverEchoesTheSecret() {
        Map<String, String> noKey = config();
        noKey.remove("huijinbao.key-id");
        Map<String, String> badSecret = config();
        badSecret.put("huijinbao.secret", "c2hvcnQtc2VjcmV0");
        Map<String, String> plainHttp = config();
        plainHttp.put("huijinbao.base-url", "http://api.huijinbao.example/open");

        assertThatThrownBy(() -> new HuijinbaoRailProvider().create(noKey)).hasMessageContaining("huijinbao.key-id");
        assertThatThrownBy(() -> new HuijinbaoRailProvider().create(badSecret))
                .hasMessageContaining("huijinbao.secret").message().doesNotContain("c2hvcnQtc2VjcmV0");
        assertThatThrownBy(() -> new HuijinbaoRailProvider().create(plainHttp)).hasMessageContaining("loopback");
    }

    @Test
    void isFoundByServiceLoader() {
        try (RailRegistry registry = RailRegistry.discover(config())) {
            assertThat(registry.find(RailId.HUIJINBAO)).get().isInstanceOf(HuijinbaoRail.class);
        }
        try (RailRegistry registry = RailRegistry.discover(Map.of())) {
            assertThat(registry.find(RailId.HUIJINBAO)).isEmpty();
        }
    }
}
