package org.ticketledger.example.console;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Optional;
import java.util.OptionalLong;
import org.ticketledger.example.console.view.Models;
import org.ticketledger.example.console.view.Page;
import org.ticketledger.example.http.Principal;

/** The audit view, and the console's administrators (a new one gets a generated password, shown once). */
final class AdminPages {

    private static final int AUDIT_PAGE = 100;

    private final Web web;
    private final ConsoleAdmins admins;

    AdminPages(Web web, ConsoleAdmins admins) {
        this.web = web;
        this.admins = admins;
    }

    void register(RoutesConfig r) {
        web.get(r, Console.PREFIX + "/audit", this::audit);
        web.get(r, Console.PREFIX + "/admins", (ctx, s) -> list(ctx, s, Optional.empty(), Optional.empty()));
        web.post(r, Console.PREFIX + "/admins", this::create);
    }

    private void audit(Context ctx, Sessions.Session s) {
        String q = Optional.ofNullable(ctx.queryParam("q")).map(String::strip).filter(v -> v.length() <= 100).orElse("");
        Optional<Long> before = Optional.ofNullable(ctx.queryParam("before")).filter(v -> v.matches("[0-9]{1,18}")).map(Long::parseLong);
        var records = web.audit().recent(before, Optional.of(q), AUDIT_PAGE);
        OptionalLong older = records.size() == AUDIT_PAGE ? OptionalLong.of(records.get(records.size() - 1).id()) : OptionalLong.empty();
        Page p = web.page(ctx, s, "audit.title", "audit");
        web.render(ctx, 200, "audit", p, "a", new Models.AuditView(records, q, older));
    }

    private void list(Context ctx, Sessions.Session s, Optional<String> user, Optional<String> password) {
        Page p = web.page(ctx, s, "admins.title", "admins");
        web.render(ctx, 200, "admins", p, "a", new Models.AdminList(admins.list(), user, password));
    }

    private void create(Context ctx, Sessions.Session s) {
        String username = Optional.ofNullable(ctx.formParam("username")).orElse("").strip();
        Principal.AdminRole role = "AUDITOR".equals(ctx.formParam("role")) ? Principal.AdminRole.AUDITOR : Principal.AdminRole.OPERATOR;
        String password = Passwords.generate();
        ConsoleAdmins.CreateResult r = admins.create(username, password, role, Web.actor(s));
        if (r instanceof ConsoleAdmins.CreateResult.Refused refused) {
            Web.redirect(ctx, Console.PREFIX + "/admins", "err", "flash." + refused.reasonKey());
            return;
        }
        web.audit(s, "admin.created", "console-admin:" + username, "created " + role + " " + username);
        // The password is shown on this response only: no redirect carries it, nothing stores it.
        list(ctx, s, Optional.of(username), Optional.of(password));
    }
}
