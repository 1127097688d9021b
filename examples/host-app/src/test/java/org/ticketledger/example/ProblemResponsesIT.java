package org.ticketledger.example;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ticketledger.example.testing.TestPlatform;

class ProblemResponsesIT {

    static TestPlatform platform;

    @BeforeAll
    static void start() {
        platform = TestPlatform.start();
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    static JsonNode problem(HttpResponse<String> r, int status, String slug) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("application/problem+json"));
        JsonNode p = TestPlatform.json(r);
        assertThat(p.path("type").asText()).isEqualTo("https://ticketledger.org/problems/" + slug);
        assertThat(p.path("status").asInt()).isEqualTo(status);
        assertThat(p.path("title").asText()).isNotBlank();
        assertThat(p.path("detail").asText()).isNotBlank();
        assertThat(p.path("requestId").asText()).isEqualTo(r.headers().firstValue("X-Request-Id").orElseThrow());
        assertThat(p.path("errors").isArray()).isTrue();
        return p;
    }

    @Test
    void unknownRouteIsNotFoundProblem() {
        problem(platform.get("/no/such/route"), 404, "not-found");
    }

    @Test
    void wrongMethodIsMethodNotAllowedProblem() {
        problem(platform.send("DELETE", "/health", null), 405, "method-not-allowed");
    }
}
