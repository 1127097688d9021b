package org.ticketledger.example.console;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.ticketledger.example.audit.AuditLog;
import org.ticketledger.example.console.view.Messages;
import org.ticketledger.example.console.view.Models;
import org.ticketledger.example.console.view.Page;
import org.ticketledger.example.http.Routes;
import org.ticketledger.example.http.WebModule;
import org.ticketledger.example.http.Principal;
import org.ticketledger.ledger.Journal;
import org.ticketledger.ticketing.Ticketing;
import org.ticketledger.ticketing.order.OrderState;
import org.ticketledger.ticketing.payout.PayoutState;

/**
 * The operator console under {@code /console}: server-rendered pages for the platform's finance
 * and operations staff — work queues with their history, messages and resolving actions,
 * maker-checker approvals, balances against the rails, statements, reports, the audit log — in
 * English and Chinese.
 *
 * <p>Security: every page but the login form and static assets needs a session (a random cookie,
 * {@code HttpOnly}, {@code SameSite=Strict}, {@code Secure} on HTTPS; only its digest is stored);
 * sessions end after an idle and an absolute timeout; every POST carries the session's CSRF token
 * (the login form a double-submit token) and a cross-site {@code Origin} is refused; templates
 * escape all output and a Content-Security-Policy allows scripts from the console alone; auditors
 * may only read. Every action is recorded in the {@link AuditLog}. Thread-safe.
 */
public final class Console implements WebModule {

    /** Where the console lives. */
    public static final String PREFIX = "/console";
    static final String SESSION_COOKIE = "tl_console";
    static final String LANG_COOKIE = "tl_console_lang";
    static final String LOGIN_COOKIE = "tl_console_login";
    private static final Logger LOG = LoggerFactory.getLogger(Console.class);
    // Where a login or a language switch may send the browser: console paths only ("." segments excluded).
    private static final Pattern NEXT = Pattern.compile("/console(?!.*\\.\\.)(/[A-Za-z0-9/_.,:=&%?-]*)?");
    private static final int MAX_FAILURES = 5;
    private static final Duration LOCKOUT = Duration.ofMinutes(5);
    private static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            + "img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private final Ticketing ticketing;
    private final Journal journal;
    private final AuditLog audit;
    private final ConsoleAdmins admins;
    private final Sessions sessions;
    private final Approvals approvals;
    private final Resolutions resolutions;
    private final ConsoleSettings settings;
    private final Clock clock;
    private final Web web;
    private final Map<String, Failures> failures = new ConcurrentHashMap<>();

    private record Failures(int count, Instant lockedUntil) {
    }

    private Console(Builder b) {
        this.ticketing = b.ticketing;
        this.journal = b.journal;
        this.settings = b.settings;
        this.clock = b.clock;
        this.audit = b.audit != null ? b.audit : AuditLog.of(b.jdbi, b.clock);
        this.admins = ConsoleAdmins.of(b.jdbi, b.clock, settings.passwordIterations());
        this.sessions = new Sessions(b.jdbi, b.clock, settings.idleTimeout(), settings.absoluteTimeout());
        this.approvals = new Approvals(b.jdbi, b.clock);
        this.resolutions = new Resolutions(b.jdbi, b.clock);
        this.web = new Web(ticketing, audit);
    }

    /** A builder; ticketing, journal and jdbi are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** The console's administrators (to seed the first, or create them from code). */
    public ConsoleAdmins admins() {
        return admins;
    }

    /** The settings in force. */
    public ConsoleSettings settings() {
        return settings;
    }

    @Override
    public String prefix() {
        return PREFIX;
    }

    @Override
    public void register(RoutesConfig r) {
        r.before(PREFIX, this::guard);
        r.before(PREFIX + "/*", this::guard);
        r.get(PREFIX + "/login", this::loginForm);
        r.post(PREFIX + "/login", this::login);
        r.get(PREFIX + "/assets/{file}", Assets::serve);
        r.post(PREFIX + "/logout", this::logout);
        r.post(PREFIX + "/lang", this::language);
        web.get(r, PREFIX, this::dashboard);
        new QueuePages(web, ticketing, approvals, resolutions, settings).register(r);
        new WealthPages(web, ticketing, approvals, resolutions, settings).register(r);
        new ConflictPages(web, ticketing, approvals, resolutions).register(r);
        new ApprovalPages(web, ticketing, approvals).register(r);
        new BookPages(web, ticketing, journal).register(r);
        new ReportPages(web, ticketing).register(r);
        new ProfitPages(web, ticketing).register(r);
        new AdminPages(web, admins).register(r);
    }

    @Override
    public void notFound(Context ctx) {
        Sessions.Session s = ctx.attribute(Web.SESSION_ATTRIBUTE);
        if (s != null) {
            web.error(ctx, s, 404, "error.notFound");
        } else {
            ctx.status(404).contentType("text/plain; charset=utf-8").result("not found");
        }
    }

    // ---------------------------------------------------------------- the guard

    private void guard(Context ctx) {
        ctx.header("Content-Security-Policy", CSP);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Referrer-Policy", "same-origin");
        String path = ctx.path();
        if (path.startsWith(PREFIX + "/assets/")) {
            return;
        }
        ctx.header("Cache-Control", "no-store");
        boolean post = !ctx.method().name().equals("GET") && !ctx.method().name().equals("HEAD");
        if (post && !sameOrigin(ctx)) {
            refuse(ctx, 403, "error.crossSite");
            return;
        }
        if (path.equals(PREFIX + "/login")) {
            return;
        }
        Sessions.Lookup found = sessions.find(ctx.cookie(SESSION_COOKIE));
        if (!(found instanceof Sessions.Lookup.Live live)) {
            if (ctx.cookie(SESSION_COOKIE) != null) {
                cookie(ctx, SESSION_COOKIE, "", 0);
            }
            String target = PREFIX + "/login" + (found instanceof Sessions.Lookup.Expired ? "?expired=1" : "");
            if (!post) {
                String next = path + (ctx.queryString() == null ? "" : "?" + ctx.queryString());
                if (NEXT.matcher(next).matches() && !next.equals(PREFIX)) {
                    target += (target.contains("?") ? "&" : "?") + "next="
                            + java.net.URLEncoder.encode(next, java.nio.charset.StandardCharsets.UTF_8);
                }
            }
            Web.redirect(ctx, target);
            ctx.skipRemainingHandlers();
            return;
        }
        Sessions.Session s = live.session();
        if (post) {
            String token = ctx.formParam("_csrf");
            if (token == null || !Passwords.constantTimeEquals(token, s.csrf())) {
                audit.append(Web.actor(s), "console.csrf-refused", path, "a form without this session's token was refused");
                refuse(ctx, 403, "error.csrf");
                return;
            }
        }
        ctx.attribute(Web.SESSION_ATTRIBUTE, s);
        Routes.principal(ctx, new Principal.ConsoleAdmin(s.username(), s.role()));
    }

    /** Browsers send Origin on every POST; one from another site is a forged form. */
    private static boolean sameOrigin(Context ctx) {
        String origin = ctx.header("Origin");
        if (origin == null) {
            return true;
        }
        try {
            String authority = URI.create(origin).getAuthority();
            return authority != null && authority.equalsIgnoreCase(ctx.host());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static void refuse(Context ctx, int status, String key) {
        Messages t = Messages.of(lang(ctx));
        ctx.status(status).contentType("text/html; charset=utf-8").result("<!DOCTYPE html><title>" + status + "</title><p>"
                + t.t(key) + "</p><p><a href=\"/console\">" + t.t("nav.dashboard") + "</a></p>");
        ctx.skipRemainingHandlers();
    }

    // ---------------------------------------------------------------- login, logout, language

    private static String lang(Context ctx) {
        String q = ctx.queryParam("lang");
        if (q != null && Messages.LANGUAGES.contains(q)) {
            return q;
        }
        String c = ctx.cookie(LANG_COOKIE);
        return c != null && Messages.LANGUAGES.contains(c) ? c : "en";
    }

    private void loginForm(Context ctx) {
        String lang = lang(ctx);
        if (ctx.queryParam("lang") != null) {
            cookie(ctx, LANG_COOKIE, lang, 365 * 24 * 3600);
        }
        String expired = ctx.queryParam("expired");
        renderLogin(ctx, 200, lang, "", Optional.ofNullable(ctx.queryParam("next")).orElse(""),
                expired != null ? Optional.of(new Page.Flash(false, Messages.of(lang).t("login.expired"))) : Optional.empty());
    }

    private void renderLogin(Context ctx, int status, String lang, String username, String next, Optional<Page.Flash> flash) {
        String token = Passwords.token(32);
        cookie(ctx, LOGIN_COOKIE, token, 3600);
        Messages t = Messages.of(lang);
        Page p = new Page(t, t.t("login.title"), "login", Optional.empty(), false, token, web.zone(),
                flash.map(List::of).orElse(List.of()));
        web.render(ctx, status, "login", p, "username", username, "next", NEXT.matcher(next).matches() ? next : "");
    }

    private void login(Context ctx) {
        String lang = lang(ctx);
        String expected = ctx.cookie(LOGIN_COOKIE);
        String token = ctx.formParam("_csrf");
        if (expected == null || token == null || !Passwords.constantTimeEquals(expected, token)) {
            refuse(ctx, 403, "error.csrf");
            return;
        }
        String username = Optional.ofNullable(ctx.formParam("username")).orElse("").strip();
        String password = Optional.ofNullable(ctx.formParam("password")).orElse("");
        String next = Optional.ofNullable(ctx.formParam("next")).filter(n -> NEXT.matcher(n).matches()).orElse(PREFIX);
        String shown = ConsoleAdmins.USERNAME.matcher(username).matches() ? username : "";
        Instant now = clock.instant();
        Failures f = failures.get(username);
        if (f != null && f.lockedUntil() != null && now.isBefore(f.lockedUntil())) {
            audit.append("console:" + shown, "console.login-locked", "console", "login refused: too many failures");
            renderLogin(ctx, 429, lang, shown, next, Optional.of(new Page.Flash(false, Messages.of(lang).t("login.locked"))));
            return;
        }
        Optional<ConsoleAdmins.Admin> admin = admins.authenticate(username, password);
        if (admin.isEmpty()) {
            int count = f == null ? 1 : f.count() + 1;
            if (failures.size() > 10_000) {
                // Guessing at many names must not grow the heap without bound; the hashing cost still slows it.
                failures.clear();
            }
            if (!shown.isEmpty()) {
                failures.put(username, new Failures(count, count >= MAX_FAILURES ? now.plus(LOCKOUT) : null));
            }
            audit.append("console:" + shown, "console.login-failed", "console", "wrong username or password");
            renderLogin(ctx, 401, lang, shown, next, Optional.of(new Page.Flash(false, Messages.of(lang).t("login.failed"))));
            return;
        }
        failures.remove(username);
        String session = sessions.create(admin.get().username(), lang);
        cookie(ctx, SESSION_COOKIE, session, -1);
        cookie(ctx, LOGIN_COOKIE, "", 0);
        audit.append("console:" + admin.get().username(), "console.login", "console", "logged in");
        LOG.info("console login by {}", admin.get().username());
        Web.redirect(ctx, next);
    }

    private void logout(Context ctx) {
        Sessions.Session s = ctx.attribute(Web.SESSION_ATTRIBUTE);
        sessions.delete(s.digest());
        cookie(ctx, SESSION_COOKIE, "", 0);
        audit.append(Web.actor(s), "console.logout", "console", "logged out");
        Web.redirect(ctx, PREFIX + "/login?lang=" + s.locale());
    }

    private void language(Context ctx) {
        Sessions.Session s = ctx.attribute(Web.SESSION_ATTRIBUTE);
        String lang = Optional.ofNullable(ctx.formParam("lang")).filter(Messages.LANGUAGES::contains).orElse("en");
        sessions.setLocale(s, lang);
        cookie(ctx, LANG_COOKIE, lang, 365 * 24 * 3600);
        String back = ctx.header("Referer");
        String path = PREFIX;
        if (back != null) {
            try {
                URI u = URI.create(back);
                String candidate = u.getRawPath() + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
                if (NEXT.matcher(candidate).matches()) {
                    path = candidate;
                }
            } catch (IllegalArgumentException e) {
                // stay on the dashboard
            }
        }
        Web.redirect(ctx, path);
    }

    /** Sets a console cookie: HttpOnly, SameSite=Strict, path /console, Secure on HTTPS; maxAge -1 = browser session, 0 = delete. */
    private void cookie(Context ctx, String name, String value, int maxAge) {
        StringBuilder c = new StringBuilder(name).append('=').append(value).append("; Path=").append(PREFIX)
                .append("; HttpOnly; SameSite=Strict");
        if (maxAge >= 0) {
            c.append("; Max-Age=").append(maxAge);
        }
        if (settings.secureCookies() || "https".equalsIgnoreCase(ctx.scheme())
                || "https".equalsIgnoreCase(ctx.header("X-Forwarded-Proto"))) {
            c.append("; Secure");
        }
        ctx.res().addHeader("Set-Cookie", c.toString());
    }

    // ---------------------------------------------------------------- dashboard

    private void dashboard(Context ctx, Sessions.Session s) {
        Page p = web.page(ctx, s, "dashboard.title", "dashboard");
        List<Models.Tab> queues = new ArrayList<>();
        int orders = QueueActions.open(ticketing.orders().byState(OrderState.AWAITING_TOPUP, 500), o -> o.id(),
                resolutions.resolved(Resolutions.Kind.ORDER)).size();
        queues.add(new Models.Tab(p.t("queue.orders.AWAITING_TOPUP"), PREFIX + "/queues/orders?state=AWAITING_TOPUP", false, orders));
        for (PayoutState st : QueuePages.PAYOUT_STATES) {
            int n = QueueActions.open(ticketing.payouts().byState(st, 500), x -> x.id(),
                    resolutions.resolved(Resolutions.Kind.PAYOUT)).size();
            queues.add(new Models.Tab(p.t("queue.payouts." + st.name()), PREFIX + "/queues/payouts?state=" + st.name(), false, n));
        }
        for (var st : WealthPages.STATES) {
            int n = QueueActions.open(ticketing.wealth().byState(st, 500), x -> x.id(),
                    resolutions.resolved(Resolutions.Kind.INSTRUCTION)).size();
            queues.add(new Models.Tab(p.t("queue.instructions." + st.name()) + " · " + p.t("nav.instructions"),
                    PREFIX + "/queues/instructions?state=" + st.name(), false, n));
        }
        queues.add(new Models.Tab(p.t("queue.conflicts.title"), PREFIX + "/queues/conflicts", false,
                ConflictPages.open(ticketing, resolutions.resolved(Resolutions.Kind.CONFLICT)).size()));
        boolean onboarded = ticketing.parties().platform().isPresent();
        Optional<org.ticketledger.ticketing.reconcile.ReconciliationReport> rec = Optional.empty();
        Optional<String> recError = Optional.empty();
        if (onboarded) {
            try {
                rec = Optional.of(ticketing.reconciliation().check());
            } catch (RuntimeException e) {
                LOG.warn("reconciliation failed on the dashboard", e);
                recError = Optional.of(p.t("balances.unavailable"));
            }
        }
        web.render(ctx, 200, "dashboard", p, "d", new Models.Dashboard(queues, approvals.pending().size()
                + (int) ProfitPages.proposed(ticketing), rec, recError, onboarded));
    }

    // ---------------------------------------------------------------- assets

    /** The console's CSS and JS, and ECharts from its WebJar. */
    static final class Assets {
        private static final Map<String, String> TYPES = Map.of("css", "text/css; charset=utf-8", "js", "text/javascript; charset=utf-8");
        private static final Map<String, byte[]> CACHE = new ConcurrentHashMap<>();

        private Assets() {
        }

        static void serve(Context ctx) {
            String file = ctx.pathParam("file");
            String resource = switch (file) {
                case "console.css", "console.js" -> "org/ticketledger/example/console/assets/" + file;
                case "echarts.min.js" -> "META-INF/resources/webjars/echarts/" + echartsVersion() + "/dist/echarts.min.js";
                default -> null;
            };
            byte[] body = resource == null ? null : CACHE.computeIfAbsent(resource, Assets::load);
            if (body == null || body.length == 0) {
                ctx.status(404).contentType("text/plain; charset=utf-8").result("no such asset");
                return;
            }
            ctx.header("Cache-Control", "public, max-age=3600");
            ctx.contentType(TYPES.get(file.substring(file.lastIndexOf('.') + 1))).result(body);
        }

        private static byte[] load(String resource) {
            try (InputStream in = Console.class.getClassLoader().getResourceAsStream(resource)) {
                return in == null ? new byte[0] : in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** The WebJar's version, from its Maven metadata, so that the pom alone decides it. */
        static String echartsVersion() {
            try (InputStream in = Console.class.getClassLoader().getResourceAsStream("META-INF/maven/org.webjars.npm/echarts/pom.properties")) {
                if (in == null) {
                    return "missing";
                }
                Properties p = new Properties();
                p.load(in);
                return p.getProperty("version", "missing");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Configures a {@link Console}. Not thread-safe. */
    public static final class Builder {
        private Ticketing ticketing;
        private Journal journal;
        private Jdbi jdbi;
        private AuditLog audit;
        private Clock clock = Clock.systemUTC();
        private ConsoleSettings settings = ConsoleSettings.defaults();

        private Builder() {
        }

        /** The platform's ticketing. Required. */
        public Builder ticketing(Ticketing t) {
            this.ticketing = Objects.requireNonNull(t, "ticketing");
            return this;
        }

        /** The journal, for balances and statements. Required. */
        public Builder journal(Journal j) {
            this.journal = Objects.requireNonNull(j, "journal");
            return this;
        }

        /** The database with the host schema migrated. Required. */
        public Builder jdbi(Jdbi j) {
            this.jdbi = Objects.requireNonNull(j, "jdbi");
            return this;
        }

        /** The audit log (default: one over {@link #jdbi}); share the host app's. */
        public Builder auditLog(AuditLog log) {
            this.audit = Objects.requireNonNull(log, "auditLog");
            return this;
        }

        /** The clock for sessions and records (default system UTC). */
        public Builder clock(Clock c) {
            this.clock = Objects.requireNonNull(c, "clock");
            return this;
        }

        public Builder settings(ConsoleSettings s) {
            this.settings = Objects.requireNonNull(s, "settings");
            return this;
        }

        /** @throws IllegalStateException when a required part is missing */
        public Console build() {
            if (ticketing == null || journal == null || jdbi == null) {
                throw new IllegalStateException("ticketing, journal and jdbi are required");
            }
            return new Console(this);
        }
    }
}
