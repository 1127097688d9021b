package org.ticketledger.example.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ticketledger.example.http.Principal;
import org.ticketledger.example.testing.ConsoleClient;
import org.ticketledger.example.testing.TestPlatform;
import org.ticketledger.ledger.testing.MutableClock;

/**
 * The console's defences over real HTTP: no page without a session, cookie flags, CSRF and
 * cross-site refusals, idle and absolute session expiry, read-only auditors, the append-only
 * audit log.
 */
class ConsoleSecurityIT {

    static final MutableClock CLOCK = new MutableClock(Instant.now());
    static TestPlatform platform;

    @BeforeAll
    static void start() {
        platform = TestPlatform.start(b -> b.consoleClock(CLOCK).console(ConsoleSettings.defaults()
                .withPasswordIterations(ConsoleSettings.MIN_ITERATIONS)
                .withTimeouts(Duration.ofMinutes(30), Duration.ofHours(2))));
        platform.consoleAdmin("alice", "alice-password-1", Principal.AdminRole.OPERATOR);
        platform.consoleAdmin("audrey", "audrey-password-1", Principal.AdminRole.AUDITOR);
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    private ConsoleClient client() {
        return new ConsoleClient(platform.base());
    }

    @Test
    void everyConsolePageRedirectsToTheLoginWithoutASession() {
        List<String> pages = platform.app().pageHandlers();
        assertThat(pages).contains("GET /console", "GET /console/queues/payouts", "GET /console/approvals",
                "GET /console/balances", "GET /console/audit", "POST /console/payouts/{payoutId}/retry");
        ConsoleClient anonymous = client();
        for (String handler : pages) {
            String method = handler.substring(0, handler.indexOf(' '));
            String path = handler.substring(handler.indexOf(' ') + 1).replaceAll("\\{[^}]+}", "x-1");
            if (path.equals("/console/login") || path.startsWith("/console/assets/")) {
                continue;
            }
            HttpResponse<String> r = method.equals("GET") ? anonymous.get(path) : anonymous.post(path, List.of("_csrf", "guess"));
            assertThat(r.statusCode()).as(handler).isEqualTo(303);
            assertThat(r.headers().firstValue("Location")).as(handler).hasValueSatisfying(l -> assertThat(l).startsWith("/console/login"));
            assertThat(r.body()).as(handler).doesNotContain("<table");
        }
        // Unknown console paths too, and a forged cookie is no session.
        assertThat(anonymous.get("/console/no/such/page").statusCode()).isEqualTo(303);
        anonymous.setCookie(Console.SESSION_COOKIE, "A".repeat(43));
        assertThat(anonymous.get("/console/balances").statusCode()).isEqualTo(303);
    }

    @Test
    void theLoginRedirectRemembersWhereTheAdminWasGoingButOnlyInsideTheConsole() {
        HttpResponse<String> r = client().get("/console/queues/payouts?state=MANUAL_REVIEW");
        assertThat(r.headers().firstValue("Location")).hasValue("/console/login?next=%2Fconsole%2Fqueues%2Fpayouts%3Fstate%3DMANUAL_REVIEW");
        ConsoleClient c = client();
        c.get("/console/login");
        HttpResponse<String> login = c.post("/console/login", List.of("_csrf", c.csrf(), "username", "alice",
                "password", "alice-password-1", "next", "https://evil.example/phish"));
        assertThat(login.statusCode()).isEqualTo(303);
        assertThat(login.headers().firstValue("Location")).hasValue("/console");
    }

    @Test
    void loginSetsAStrictHttpOnlyCookieAndRefusesWrongPasswords() {
        ConsoleClient c = client();
        HttpResponse<String> wrong = c.login("alice", "not-her-password");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).contains("Wrong username or password");
        assertThat(c.cookie(Console.SESSION_COOKIE)).isEmpty();

        HttpResponse<String> ok = c.login("alice", "alice-password-1");
        assertThat(ok.statusCode()).isEqualTo(303);
        String cookie = ok.headers().allValues("Set-Cookie").stream().filter(v -> v.startsWith(Console.SESSION_COOKIE + "="))
                .findFirst().orElseThrow();
        assertThat(cookie).contains("HttpOnly", "SameSite=Strict", "Path=/console").doesNotContain("Secure");
        assertThat(c.get("/console").statusCode()).isEqualTo(200);

        // Behind a TLS-terminating proxy the cookie is Secure.
        ConsoleClient tls = client();
        tls.get("/console/login");
        HttpResponse<String> viaProxy = tls.post("/console/login", List.of("_csrf", tls.csrf(), "username", "alice",
                "password", "alice-password-1"), "X-Forwarded-Proto", "https");
        assertThat(viaProxy.headers().allValues("Set-Cookie")).anySatisfy(v ->
                assertThat(v).startsWith(Console.SESSION_COOKIE + "=").contains("Secure", "HttpOnly", "SameSite=Strict"));
        // The database keeps only a digest of the cookie.
        String value = c.cookie(Console.SESSION_COOKIE).orElseThrow();
        assertThat(platform.count("SELECT count(*) FROM host.console_sessions WHERE id_digest = '" + value + "'")).isZero();
    }

    @Test
    void formsWithoutTheSessionsCsrfTokenAreRefusedAndDoNothing() {
        ConsoleClient c = client().loggedIn("alice", "alice-password-1");
        int before = platform.count("SELECT count(*) FROM host.console_admins");
        HttpResponse<String> none = c.post("/console/admins", List.of("username", "mallory", "role", "OPERATOR"));
        assertThat(none.statusCode()).isEqualTo(403);
        assertThat(none.body()).contains("expired or did not come from the console");
        HttpResponse<String> forged = c.post("/console/admins", List.of("_csrf", "forged-token", "username", "mallory"));
        assertThat(forged.statusCode()).isEqualTo(403);
        // Another session's token is no good either.
        ConsoleClient other = client().loggedIn("alice", "alice-password-1");
        HttpResponse<String> foreign = c.post("/console/admins", List.of("_csrf", other.csrf(), "username", "mallory"));
        assertThat(foreign.statusCode()).isEqualTo(403);
        // A cross-site form is refused even with the right token.
        HttpResponse<String> crossSite = c.post("/console/admins", List.of("_csrf", c.csrf(), "username", "mallory"),
                "Origin", "https://evil.example");
        assertThat(crossSite.statusCode()).isEqualTo(403);
        assertThat(platform.count("SELECT count(*) FROM host.console_admins")).isEqualTo(before);
        assertThat(platform.count("SELECT count(*) FROM host.audit_log WHERE action = 'console.csrf-refused'")).isGreaterThanOrEqualTo(3);

        // The login form has its own token (double submit): a forged login is refused.
        ConsoleClient fresh = client();
        assertThat(fresh.post("/console/login", List.of("_csrf", "x", "username", "alice", "password", "alice-password-1"))
                .statusCode()).isEqualTo(403);

        // With the token it works.
        HttpResponse<String> real = c.submit("/console/admins", "username", "carol", "role", "OPERATOR");
        assertThat(real.statusCode()).isEqualTo(200);
        assertThat(real.body()).contains("id=\"new-password\"");
    }

    @Test
    void sessionsEndAfterIdleTimeAndAfterTheAbsoluteLimit() {
        ConsoleClient idle = client().loggedIn("alice", "alice-password-1");
        CLOCK.advance(Duration.ofMinutes(29));
        assertThat(idle.get("/console/balances").statusCode()).isEqualTo(200);
        CLOCK.advance(Duration.ofMinutes(31));
        HttpResponse<String> expired = idle.get("/console/balances");
        assertThat(expired.statusCode()).isEqualTo(303);
        assertThat(expired.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).startsWith("/console/login?expired=1"));
        assertThat(idle.get("/console/login?expired=1").body()).contains("Your session has ended");

        ConsoleClient busy = client().loggedIn("alice", "alice-password-1");
        for (int i = 0; i < 7; i++) {
            CLOCK.advance(Duration.ofMinutes(15));
            assertThat(busy.get("/console").statusCode()).as("after %d min", (i + 1) * 15).isEqualTo(200);
        }
        CLOCK.advance(Duration.ofMinutes(16));
        assertThat(busy.get("/console").statusCode()).isEqualTo(303);
    }

    @Test
    void logoutEndsTheSessionAtTheServer() {
        ConsoleClient c = client().loggedIn("alice", "alice-password-1");
        String cookie = c.cookie(Console.SESSION_COOKIE).orElseThrow();
        assertThat(c.submit("/console/logout").statusCode()).isEqualTo(303);
        ConsoleClient replay = client();
        replay.setCookie(Console.SESSION_COOKIE, cookie);
        assertThat(replay.get("/console").statusCode()).isEqualTo(303);
    }

    @Test
    void auditorsMayLookButNotAct() {
        ConsoleClient c = client().loggedIn("audrey", "audrey-password-1");
        assertThat(c.get("/console/admins").body()).doesNotContain("id=\"admin-form\"");
        HttpResponse<String> r = c.submit("/console/admins", "username", "eve", "role", "OPERATOR");
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).contains("Auditors can look but not change anything");
        assertThat(platform.count("SELECT count(*) FROM host.console_admins WHERE username = 'eve'")).isZero();
    }

    @Test
    void repeatedFailuresLockTheUsernameForAWhile() {
        platform.consoleAdmin("lena", "lena-password-12", Principal.AdminRole.OPERATOR);
        for (int i = 0; i < 5; i++) {
            assertThat(client().login("lena", "wrong-" + i).statusCode()).isEqualTo(401);
        }
        assertThat(client().login("lena", "lena-password-12").statusCode()).isEqualTo(429);
        CLOCK.advance(Duration.ofMinutes(6));
        assertThat(client().login("lena", "lena-password-12").statusCode()).isEqualTo(303);
    }

    @Test
    void aDisabledAdminIsLoggedOutAndCannotLogInAgain() {
        platform.consoleAdmin("dora", "dora-password-12", Principal.AdminRole.OPERATOR);
        ConsoleClient c = client().loggedIn("dora", "dora-password-12");
        assertThat(platform.platform().console().admins().disable("dora")).isTrue();
        assertThat(c.get("/console").statusCode()).isEqualTo(303);
        assertThat(client().login("dora", "dora-password-12").statusCode()).isEqualTo(401);
        assertThat(platform.platform().console().admins().disable("dora")).isFalse();
    }

    @Test
    void theLoginNeverSendsTheBrowserOutOfTheConsole() {
        for (String next : List.of("https://evil.example/", "//evil.example/console", "/console/../admin/v1/platform", "/admin/v1/platform")) {
            ConsoleClient c = client();
            c.get("/console/login");
            HttpResponse<String> r = c.post("/console/login", List.of("_csrf", c.csrf(), "username", "alice",
                    "password", "alice-password-1", "next", next));
            assertThat(r.headers().firstValue("Location")).as(next).hasValue("/console");
        }
    }

    @Test
    void pagesCarrySecurityHeaders() {
        HttpResponse<String> r = client().get("/console/login");
        assertThat(r.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(v ->
                assertThat(v).contains("script-src 'self'", "frame-ancestors 'none'"));
        assertThat(r.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
    }

    @Test
    void theAuditLogIsAppendOnly() {
        client().loggedIn("alice", "alice-password-1");
        assertThat(platform.count("SELECT count(*) FROM host.audit_log WHERE actor = 'console:alice' AND action = 'console.login'"))
                .isPositive();
        assertThatThrownBy(() -> platform.jdbi().useHandle(h -> h.execute("UPDATE host.audit_log SET actor = 'nobody'")))
                .hasMessageContaining("append-only");
        assertThatThrownBy(() -> platform.jdbi().useHandle(h -> h.execute("DELETE FROM host.audit_log")))
                .hasMessageContaining("append-only");
    }
}
