package org.ticketledger.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ticketledger.example.ProblemResponsesIT.problem;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ticketledger.example.testing.TestPlatform;

/** {@code GET /admin/v1/references} over real HTTP: admin auth, the report's shape, an orphan made by hand. */
class ReferenceCheckApiIT {

    private static final String PATH = "/admin/v1/references";

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
    void refusedWithoutAnAdminToken() {
        problem(platform.get(PATH), 401, "authentication-required");
        problem(platform.get(PATH, "Authorization", "Bearer wrong-token-000000000000000"), 401, "invalid-credentials");
    }

    @Test
    void anAuditorReadsEveryReferenceAndAnOrphanMadeByHandIsNamed() {
        String spot = platform.onboardSpot("Ref Spot");
        String product = platform.publish(spot, "100.00", "90.00");
        JsonNode clean = TestPlatform.json(TestPlatform.expect(auditor(PATH), 200));
        assertThat(clean.path("intact").asBoolean()).as("%s", clean).isTrue();
        assertThat(clean.path("at").asText()).isNotBlank();
        JsonNode lines = clean.path("references");
        assertThat(lines.size()).isGreaterThanOrEqualTo(17);
        lines.forEach(l -> {
            assertThat(l.path("missing").asLong()).isZero();
            assertThat(l.path("examples").isArray()).isTrue();
            assertThat(l.path("table").asText()).isNotBlank();
            assertThat(l.path("parent").asText()).isNotBlank();
            assertThat(l.path("enforced").asText()).isNotBlank();
        });

        // A product row written by hand for a publisher that is no party.
        platform.jdbi().useHandle(h -> h.createUpdate("INSERT INTO ticketing.products SELECT (jsonb_populate_record("
                + "NULL::ticketing.products, to_jsonb(p) || CAST(:o AS jsonb))).* FROM ticketing.products p WHERE p.product_id = :id")
                .bind("o", "{\"product_id\":\"p-orphan-http\",\"code_no\":4000000003,\"publisher_id\":\"sp-ghost\"}")
                .bind("id", product).execute());
        try {
            JsonNode broken = TestPlatform.json(TestPlatform.expect(auditor(PATH + "?examples=1"), 200));
            assertThat(broken.path("intact").asBoolean()).isFalse();
            JsonNode publisher = null;
            for (JsonNode l : broken.path("references")) {
                if (l.path("missing").asLong() != 0) {
                    assertThat(publisher).as("only one broken reference: %s", broken).isNull();
                    publisher = l;
                }
            }
            assertThat(publisher).isNotNull();
            assertThat(publisher.path("table").asText()).isEqualTo("products");
            assertThat(publisher.path("columns").asText()).isEqualTo("publisher_id");
            assertThat(publisher.path("parent").asText()).isEqualTo("parties (party_id)");
            assertThat(publisher.path("missing").asLong()).isEqualTo(1);
            assertThat(publisher.path("examples").get(0).asText()).isEqualTo("p-orphan-http");
            assertThat(publisher.path("examples").size()).isEqualTo(1);
        } finally {
            platform.jdbi().useHandle(h -> h.execute("DELETE FROM ticketing.products WHERE product_id = 'p-orphan-http'"));
        }
        assertThat(TestPlatform.json(TestPlatform.expect(auditor(PATH), 200)).path("intact").asBoolean()).isTrue();
    }

    @Test
    void aBadExamplesCountIsAProblem() {
        for (String bad : new String[] {"0", "1001", "ten"}) {
            JsonNode p = problem(auditor(PATH + "?examples=" + bad), 400, "bad-request");
            assertThat(p.path("errors").findValuesAsText("pointer")).contains("#/query/examples");
        }
    }

    @Test
    void theOpenApiDocumentDescribesIt() {
        JsonNode op = TestPlatform.json(platform.get("/openapi.json")).path("paths").path(PATH).path("get");
        assertThat(op.path("operationId").asText()).isEqualTo("checkReferences");
        assertThat(op.path("parameters").findValuesAsText("name")).contains("examples");
        assertThat(op.path("responses").has("401")).isTrue();
        assertThat(op.path("responses").path("200").toString()).contains("intact", "missing", "examples");
    }

    private static java.net.http.HttpResponse<String> auditor(String path) {
        return platform.get(path, "Authorization", "Bearer " + TestPlatform.AUDITOR_TOKEN);
    }
}
