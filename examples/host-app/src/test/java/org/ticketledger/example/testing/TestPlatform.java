package org.ticketledger.example.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.jdbi.v3.core.Jdbi;
import org.ticketledger.example.HostApp;
import org.ticketledger.example.auth.AdminTokens;
import org.ticketledger.example.auth.ApiKeys;
import org.ticketledger.example.auth.SignedHttpClient;
import org.ticketledger.example.http.Json;
import org.ticketledger.example.http.Principal;
import org.ticketledger.example.platform.HostSchema;
import org.ticketledger.ledger.testing.PostgresFixture;

/**
 * A started host app on a fresh database of the shared embedded Postgres, with an operator and an
 * auditor token, plus plain and signed HTTP helpers. Close it after the test class.
 */
public final class TestPlatform implements AutoCloseable {

    public static final String OPERATOR_TOKEN = "operator-token-0123456789abcdef";
    public static final String AUDITOR_TOKEN = "auditor-token-0123456789abcdef";

    private final HikariDataSource dataSource;
    private final Jdbi jdbi;
    private final HostApp app;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private TestPlatform(HikariDataSource dataSource, Jdbi jdbi, HostApp app) {
        this.dataSource = dataSource;
        this.jdbi = jdbi;
        this.app = app;
    }

    public static TestPlatform start() {
        return start(b -> { });
    }

    public static TestPlatform start(Consumer<HostApp.Builder> customize) {
        HikariDataSource ds = PostgresFixture.newDataSource(8);
        HostSchema.migrate(ds);
        Jdbi jdbi = Jdbi.create(ds);
        HostApp.Builder b = HostApp.builder().jdbi(jdbi).port(0).adminTokens(AdminTokens.of(List.of(
                new AdminTokens.Token("ops", OPERATOR_TOKEN, Principal.AdminRole.OPERATOR),
                new AdminTokens.Token("audit", AUDITOR_TOKEN, Principal.AdminRole.AUDITOR))));
        customize.accept(b);
        return new TestPlatform(ds, jdbi, b.start());
    }

    public HostApp app() {
        return app;
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    /** The single integer a counting query returns. */
    public int count(String sql) {
        return jdbi.withHandle(h -> h.createQuery(sql).mapTo(Integer.class).one());
    }

    public URI base() {
        return app.baseUri();
    }

    /** A distributor client with a freshly issued key. */
    public SignedHttpClient distributor(String distributorId) {
        ApiKeys.IssuedKey k = app.apiKeys().issue(distributorId);
        return SignedHttpClient.of(base(), k.keyId(), k.secret());
    }

    public SignedHttpClient distributor(ApiKeys.IssuedKey k, Clock clock) {
        return SignedHttpClient.of(base(), k.keyId(), k.secret(), clock);
    }

    /** A plain request; {@code headers} alternate name, value. */
    public HttpResponse<String> send(String method, String path, String body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base().resolve(path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public HttpResponse<String> get(String path, String... headers) {
        return send("GET", path, null, headers);
    }

    public HttpResponse<String> admin(String method, String path, String body) {
        return body == null
                ? send(method, path, null, "Authorization", "Bearer " + OPERATOR_TOKEN)
                : send(method, path, body, "Authorization", "Bearer " + OPERATOR_TOKEN, "Content-Type", "application/json");
    }

    public static JsonNode json(HttpResponse<String> r) {
        try {
            return Json.MAPPER.readTree(r.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + r.body(), e);
        }
    }

    public static Map<String, List<String>> headers(HttpResponse<String> r) {
        return r.headers().map();
    }

    @Override
    public void close() {
        app.close();
        dataSource.close();
    }
}
