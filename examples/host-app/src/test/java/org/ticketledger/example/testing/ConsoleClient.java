package org.ticketledger.example.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A browser stand-in for the console at the HTTP level: keeps the console's cookies, does not
 * follow redirects (tests look at them), and reads the CSRF token from the last page's forms.
 */
public final class ConsoleClient {

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final Map<String, String> cookies = new LinkedHashMap<>();
    private String lastBody = "";

    public ConsoleClient(URI base) {
        this.base = base;
    }

    public HttpResponse<String> get(String path, String... headers) {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET(), headers);
    }

    /** A form POST; {@code fields} alternate name, value. */
    public HttpResponse<String> post(String path, List<String> fields, String... headers) {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < fields.size(); i += 2) {
            if (body.length() > 0) {
                body.append('&');
            }
            body.append(URLEncoder.encode(fields.get(i), StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(fields.get(i + 1), StandardCharsets.UTF_8));
        }
        List<String> h = new ArrayList<>(List.of(headers));
        h.add("Content-Type");
        h.add("application/x-www-form-urlencoded");
        return send(HttpRequest.newBuilder(base.resolve(path)).POST(HttpRequest.BodyPublishers.ofString(body.toString())),
                h.toArray(String[]::new));
    }

    /** A form POST carrying the CSRF token of the last page seen. */
    public HttpResponse<String> submit(String path, String... fields) {
        List<String> f = new ArrayList<>(List.of("_csrf", csrf()));
        f.addAll(List.of(fields));
        return post(path, f);
    }

    /** Logs in through the form; returns the answer to the POST. */
    public HttpResponse<String> login(String username, String password) {
        get("/console/login");
        return post("/console/login", List.of("_csrf", csrf(), "username", username, "password", password));
    }

    /** Logs in and fails the test unless it worked; leaves the client on the dashboard. */
    public ConsoleClient loggedIn(String username, String password) {
        HttpResponse<String> r = login(username, password);
        if (r.statusCode() != 303) {
            throw new AssertionError("login of " + username + " answered " + r.statusCode() + ": " + r.body());
        }
        get("/console");
        return this;
    }

    /** The CSRF token in the last page's forms. */
    public String csrf() {
        Matcher m = CSRF.matcher(lastBody);
        if (!m.find()) {
            throw new AssertionError("no CSRF token on the last page: " + lastBody);
        }
        return m.group(1);
    }

    public Optional<String> cookie(String name) {
        return Optional.ofNullable(cookies.get(name));
    }

    public void setCookie(String name, String value) {
        cookies.put(name, value);
    }

    public void forgetCookies() {
        cookies.clear();
    }

    private HttpResponse<String> send(HttpRequest.Builder b, String... headers) {
        b.timeout(Duration.ofSeconds(30));
        if (!cookies.isEmpty()) {
            StringBuilder c = new StringBuilder();
            cookies.forEach((k, v) -> c.append(c.length() == 0 ? "" : "; ").append(k).append('=').append(v));
            b.header("Cookie", c.toString());
        }
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            for (String sc : r.headers().allValues("Set-Cookie")) {
                String pair = sc.split(";", 2)[0];
                int eq = pair.indexOf('=');
                String name = pair.substring(0, eq).trim();
                String value = pair.substring(eq + 1).trim();
                if (value.isEmpty() || sc.contains("Max-Age=0")) {
                    cookies.remove(name);
                } else {
                    cookies.put(name, value);
                }
            }
            if (r.body() != null && r.body().contains("_csrf")) {
                lastBody = r.body();
            }
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
