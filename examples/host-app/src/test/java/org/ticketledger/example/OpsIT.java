package org.ticketledger.example;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ticketledger.example.auth.SignedHttpClient;
import org.ticketledger.example.testing.TestPlatform;

/** Health, metrics and the OpenAPI document against the real routes. */
class OpsIT {

    static TestPlatform platform;

    @BeforeAll
    static void start() {
        platform = TestPlatform.start();
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    @Test
    void healthReportsTheDatabase() {
        HttpResponse<String> r = platform.get("/health");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode h = TestPlatform.json(r);
        assertThat(h.path("status").asText()).isEqualTo("UP");
        assertThat(h.path("components").path("database").path("status").asText()).isEqualTo("UP");
    }

    @Test
    void metricsCountRequestsByRouteTemplateAndStatus() throws Exception {
        SignedHttpClient c = platform.distributor("d-metrics");
        c.post("/distributor/v1/ping", "{}", "m-1");
        c.post("/distributor/v1/ping", "{}", "m-1");
        platform.get("/distributor/v1/ping");
        platform.admin("GET", "/admin/v1/distributors/d-metrics/api-keys", null);
        HttpResponse<String> r = platform.get("/metrics");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("text/plain"));
        assertThat(r.body())
                .contains("tl_http_requests_total{method=\"POST\",route=\"/distributor/v1/ping\",status=\"200\"} 2")
                .contains("tl_http_requests_total{method=\"GET\",route=\"/distributor/v1/ping\",status=\"401\"} 1")
                .contains("route=\"/admin/v1/distributors/{distributorId}/api-keys\"")
                .contains("tl_http_request_duration_seconds_bucket{method=\"POST\",route=\"/distributor/v1/ping\",status=\"200\",le=\"+Inf\"} 2")
                .doesNotContain("d-metrics");
    }

    @Test
    void everyRegisteredRouteIsDocumentedAndEveryDocumentedRouteExists() {
        JsonNode doc = TestPlatform.json(platform.get("/openapi.json"));
        assertThat(doc.path("openapi").asText()).startsWith("3.");
        Set<String> documented = new HashSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = doc.path("paths").fields(); it.hasNext(); ) {
            var path = it.next();
            path.getValue().fieldNames().forEachRemaining(m -> documented.add(m.toUpperCase(Locale.ROOT) + " " + path.getKey()));
        }
        Set<String> registered = new HashSet<>(platform.app().registeredHandlers());
        assertThat(registered).isNotEmpty();
        assertThat(documented).containsExactlyInAnyOrderElementsOf(registered);
    }

    @Test
    void everyOperationIsDescribedAndUnique() {
        JsonNode doc = TestPlatform.json(platform.get("/openapi.json"));
        List<String> ids = new ArrayList<>();
        doc.path("paths").forEach(item -> item.forEach(op -> {
            ids.add(op.path("operationId").asText());
            assertThat(op.path("summary").asText()).isNotBlank();
            assertThat(op.path("responses").size()).isPositive();
            assertThat(op.path("responses").has("500")).isTrue();
        }));
        assertThat(ids).doesNotHaveDuplicates().doesNotContain("");
    }

    @Test
    void theDocumentDescribesSecurityIdempotencyAndProblems() {
        JsonNode doc = TestPlatform.json(platform.get("/openapi.json"));
        JsonNode ping = doc.path("paths").path("/distributor/v1/ping").path("post");
        assertThat(ping.path("security").get(0).has("distributorHmac")).isTrue();
        assertThat(ping.path("parameters").findValuesAsText("$ref")).contains("#/components/parameters/IdempotencyKey");
        assertThat(ping.path("responses").has("401")).isTrue();
        assertThat(ping.path("responses").has("429")).isTrue();
        assertThat(ping.path("responses").has("422")).isTrue();
        assertThat(doc.path("paths").path("/health").path("get").path("security")).isEmpty();
        assertThat(doc.path("components").path("schemas").path("Problem").path("properties").path("type").path("enum").toString())
                .contains("https://ticketledger.org/problems/replayed-nonce");
        JsonNode keys = doc.path("paths").path("/admin/v1/distributors/{distributorId}/api-keys").path("post");
        assertThat(keys.path("security").get(0).has("adminBearer")).isTrue();
        assertThat(keys.path("parameters").findValuesAsText("name")).contains("distributorId");
    }
    @Test
    void deviceRoutesAreDocumentedWithTheDeviceBearerAndTheirOwnProblems() {
        JsonNode paths = TestPlatform.json(platform.get("/openapi.json")).path("paths");
        JsonNode redeem = paths.path("/device/v1/redeem").path("post");
        assertThat(redeem.path("security").get(0).has("deviceBearer")).isTrue();
        assertThat(redeem.path("parameters").findValuesAsText("name")).contains("Idempotency-Key");
        assertThat(redeem.path("parameters").findValuesAsText("$ref")).doesNotContain("#/components/parameters/IdempotencyKey");
        assertThat(redeem.path("responses").path("400").path("description").asText()).contains("malformed-request", "bad-record");
        assertThat(redeem.path("responses").path("403").path("description").asText()).contains("device-revoked");
        assertThat(redeem.path("responses").path("401").path("content").path("application/problem+json").path("schema")
                .path("properties").has("serverTime")).isTrue();
        assertThat(redeem.path("responses").has("503")).isTrue();
        JsonNode login = paths.path("/device/v1/login").path("post");
        assertThat(login.path("security")).isEmpty();
        assertThat(login.path("responses").path("429").path("description").asText()).contains("too-many-attempts");
        assertThat(login.path("responses").has("415")).as("the host's problems are not the device routes'").isFalse();
        assertThat(paths.path("/device/v1/keys").path("get").path("responses").has("304")).isTrue();
        assertThat(paths.path("/device/v1/time").path("get").path("security")).isEmpty();
        assertThat(paths.path("/admin/v1/devices/provisioning-tokens").path("post").path("security").get(0).has("adminBearer")).isTrue();
    }
}
