package org.ticketledger.example.console;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.ticketledger.example.audit.AuditLog;
import org.ticketledger.example.console.view.Messages;
import org.ticketledger.example.console.view.Page;
import org.ticketledger.example.http.Principal;
import org.ticketledger.ticketing.ErrorCode;
import org.ticketledger.ticketing.Ticketing;

/**
 * The plumbing every console page shares: the session of the request, rendering a template into
 * a page, redirects with a message, reading form fields, recording actions in the audit log.
 * Thread-safe.
 */
final class Web {

    private static final Logger LOG = LoggerFactory.getLogger(Web.class);
    static final String SESSION_ATTRIBUTE = "tl.console.session";

    /** A page handler: runs with the live session of the request. */
    @FunctionalInterface
    interface PageHandler {
        void handle(Context ctx, Sessions.Session session) throws Exception;
    }

    private final TemplateEngine engine = TemplateEngine.createPrecompiled(ContentType.Html);
    private final Ticketing ticketing;
    private final AuditLog audit;

    Web(Ticketing ticketing, AuditLog audit) {
        this.ticketing = ticketing;
        this.audit = audit;
    }

    // ---------------------------------------------------------------- routing

    /** Registers a GET page. */
    void get(RoutesConfig routes, String path, PageHandler h) {
        routes.get(path, ctx -> run(ctx, h));
    }

    /**
     * Registers a form POST. The guard has checked the session and the CSRF token by then; this
     * refuses auditors, who may only read.
     */
    void post(RoutesConfig routes, String path, PageHandler h) {
        routes.post(path, ctx -> run(ctx, (c, s) -> {
            if (s.role() != Principal.AdminRole.OPERATOR) {
                error(c, s, 403, "error.readOnly");
                return;
            }
            h.handle(c, s);
        }));
    }

    private void run(Context ctx, PageHandler h) {
        Sessions.Session s = ctx.attribute(SESSION_ATTRIBUTE);
        try {
            if (s == null) {
                // The guard lets no request through without one; reaching here is a bug.
                throw new IllegalStateException("console page without a session: " + ctx.path());
            }
            h.handle(ctx, s);
        } catch (Exception e) {
            LOG.error("console page {} {} failed", ctx.method(), ctx.path(), e);
            Messages t = Messages.of(s == null ? "en" : s.locale());
            ctx.status(500).contentType("text/html; charset=utf-8").result("<!DOCTYPE html><title>500</title><p>"
                    + t.t("error.internal") + "</p><p><a href=\"/console\">" + t.t("nav.dashboard") + "</a></p>");
        }
    }

    // ---------------------------------------------------------------- rendering

    /** The page frame for a logged-in admin. */
    Page page(Context ctx, Sessions.Session s, String titleKey, String active, Object... titleArgs) {
        Messages t = Messages.of(s.locale());
        return new Page(t, t.t(titleKey, titleArgs), active, Optional.of(s.username()),
                s.role() == Principal.AdminRole.OPERATOR, s.csrf(), zone(), flashes(ctx, t));
    }

    /** The platform's time zone (UTC before onboarding). */
    ZoneId zone() {
        return ticketing.parties().platform().map(org.ticketledger.ticketing.party.Platform::timeZone).orElse(ZoneOffset.UTC);
    }

    /** Renders {@code template} (under {@code src/main/jte/console}) with the page and its data. */
    void render(Context ctx, int status, String template, Page page, Object... namesAndValues) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("p", page);
        for (int i = 0; i < namesAndValues.length; i += 2) {
            params.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        StringOutput out = new StringOutput();
        engine.render("console/" + template + ".jte", params, out);
        ctx.status(status).contentType("text/html; charset=utf-8").result(out.toString());
    }

    /** An error page with a message from the bundle. */
    void error(Context ctx, Sessions.Session s, int status, String messageKey) {
        Page p = page(ctx, s, "error.title", "", status);
        render(ctx, status, "error", p, "message", p.t(messageKey));
    }

    /**
     * Messages carried by a redirect: {@code ok} and {@code err} name a bundle key under
     * {@code flash.}, {@code code} a ticketing refusal code. Nothing from the URL is shown as
     * given, so a crafted link cannot put words in the console's mouth.
     */
    private static List<Page.Flash> flashes(Context ctx, Messages t) {
        List<Page.Flash> out = new ArrayList<>();
        String ok = ctx.queryParam("ok");
        if (ok != null && ok.startsWith("flash.") && t.has(ok)) {
            out.add(new Page.Flash(true, t.t(ok)));
        }
        String err = ctx.queryParam("err");
        if (err != null && err.startsWith("flash.") && t.has(err)) {
            out.add(new Page.Flash(false, t.t(err)));
        }
        String code = ctx.queryParam("code");
        if (code != null) {
            for (ErrorCode c : ErrorCode.values()) {
                if (c.name().equals(code)) {
                    out.add(new Page.Flash(false, t.t("flash.refusedBy", c.name())));
                }
            }
        }
        return out;
    }

    /** 303 to {@code path} with a message key. */
    static void redirect(Context ctx, String path, String param, String key) {
        String sep = path.contains("?") ? "&" : "?";
        ctx.redirect(path + sep + param + "=" + java.net.URLEncoder.encode(key, java.nio.charset.StandardCharsets.UTF_8),
                HttpStatus.SEE_OTHER);
    }

    static void redirect(Context ctx, String path) {
        ctx.redirect(path, HttpStatus.SEE_OTHER);
    }

    /** A path segment made safe for a URL. */
    static String segment(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A form field, trimmed; empty when missing or blank. */
    static Optional<String> field(Context ctx, String name, int maxLength) {
        String v = ctx.formParam(name);
        if (v == null || v.isBlank()) {
            return Optional.empty();
        }
        v = v.strip();
        return v.length() > maxLength ? Optional.empty() : Optional.of(v);
    }

    // ---------------------------------------------------------------- audit

    /** The actor name ticketing and the audit log see for a console admin. */
    static String actor(Sessions.Session s) {
        return "console:" + s.username();
    }

    AuditLog.Record audit(Sessions.Session s, String action, String subject, String detail) {
        return audit.append(actor(s), action, subject, detail);
    }

    AuditLog audit() {
        return audit;
    }
}
