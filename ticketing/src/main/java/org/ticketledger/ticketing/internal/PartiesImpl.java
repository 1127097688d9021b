package org.ticketledger.ticketing.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Currency;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Handle;
import org.ticketledger.ledger.EntryRequest;
import org.ticketledger.ledger.LedgerId;
import org.ticketledger.ledger.Money;
import org.ticketledger.ledger.PostResult;
import org.ticketledger.ledger.RejectionReason;
import org.ticketledger.payment.IdentityType;
import org.ticketledger.payment.PartyAccount;
import org.ticketledger.payment.RailId;
import org.ticketledger.ticketing.ErrorCode;
import org.ticketledger.ticketing.Outcome;
import org.ticketledger.ticketing.Problem;
import org.ticketledger.ticketing.UnableToRecordEntryException;
import org.ticketledger.ticketing.party.AccountSetting;
import org.ticketledger.ticketing.party.AccountVersion;
import org.ticketledger.ticketing.party.AuditRecord;
import org.ticketledger.ticketing.party.Distributor;
import org.ticketledger.ticketing.party.DistributorRegistration;
import org.ticketledger.ticketing.party.Parties;
import org.ticketledger.ticketing.party.Platform;
import org.ticketledger.ticketing.party.PlatformRegistration;
import org.ticketledger.ticketing.party.ScenicSpot;
import org.ticketledger.ticketing.party.ScenicSpotRegistration;

/** {@link Parties} on Postgres. */
final class PartiesImpl implements Parties {

    private static final Pattern REFERENCE = Pattern.compile("[A-Za-z0-9_.:-]{1,100}");
    private static final String PARTY_SELECT = "SELECT p.party_id, p.kind, p.name, p.contact_phone, p.parent_id,"
            + " p.created_at, a.version, a.rail, a.identity, a.identity_type, a.holder_name, a.agreement_no,"
            + " a.changed_at, a.changed_by, a.reason FROM ticketing.parties p JOIN ticketing.party_accounts a"
            + " ON a.party_id = p.party_id AND a.version = p.account_version";

    private final Ctx ctx;
    private final Book book;

    PartiesImpl(Ctx ctx, Book book) {
        this.ctx = ctx;
        this.book = book;
    }

    @Override
    public Outcome<Platform> onboardPlatform(PlatformRegistration r, String actor) {
        Optional<Problem> invalid = ctx.validation.check(r);
        if (invalid.isPresent()) {
            return Outcome.refused(invalid.get());
        }
        List<Problem.FieldError> errors = new ArrayList<>();
        ZoneId zone = null;
        try {
            zone = ZoneId.of(r.timeZone());
        } catch (DateTimeException e) {
            errors.add(new Problem.FieldError("timeZone", "unknown time zone"));
        }
        Currency currency = null;
        try {
            currency = Currency.getInstance(r.currency());
            if (currency.getDefaultFractionDigits() < 0) {
                errors.add(new Problem.FieldError("currency", "currency has no minor unit"));
            }
        } catch (IllegalArgumentException e) {
            errors.add(new Problem.FieldError("currency", "unknown currency"));
        }
        Set<String> rails = new HashSet<>();
        for (int i = 0; i < r.settlementAccounts().size(); i++) {
            AccountSetting a = r.settlementAccounts().get(i);
            if (!rails.add(a.rail())) {
                errors.add(new Problem.FieldError("settlementAccounts[" + i + "].rail", "rail appears twice"));
            }
            if (a.agreementNo().isPresent()) {
                errors.add(new Problem.FieldError("settlementAccounts[" + i + "].agreementNo",
                        "the platform's own account takes no debit agreement"));
            }
        }
        if (!errors.isEmpty()) {
            return Outcome.refused(new Problem(ErrorCode.VALIDATION_FAILED, "invalid request: " + errors, errors));
        }
        if (ctx.platform().isPresent()) {
            return Outcome.refused(ErrorCode.PLATFORM_ALREADY_ONBOARDED, "the platform is onboarded already");
        }
        LedgerId ledger = Book.ledgerFor(currency);
        List<RailId> railIds = r.settlementAccounts().stream().map(a -> RailId.of(a.rail())).toList();
        book.openPlatform(ledger, currency, railIds);
        Instant now = ctx.now();
        ZoneId z = zone;
        Currency cur = currency;
        try {
            ctx.db.tx(h -> {
                int n = h.createUpdate("INSERT INTO ticketing.platform (id, name, ledger_id, currency, admin_phone, time_zone,"
                                + " created_at) VALUES (1, :name, :ledger, :cur, :phone, :tz, :now) ON CONFLICT (id) DO NOTHING")
                        .bind("name", r.name())
                        .bind("ledger", ledger.value())
                        .bind("cur", cur.getCurrencyCode())
                        .bind("phone", r.adminPhone())
                        .bind("tz", z.getId())
                        .bind("now", Db.ts(now))
                        .execute();
                if (n == 0) {
                    throw new Db.Refusal(Problem.of(ErrorCode.PLATFORM_ALREADY_ONBOARDED, "the platform is onboarded already"));
                }
                for (AccountSetting a : r.settlementAccounts()) {
                    h.createUpdate("INSERT INTO ticketing.platform_accounts (rail, version, identity, identity_type, holder_name,"
                                    + " changed_at, changed_by) VALUES (:rail, 1, :id, :type, :holder, :now, :by)")
                            .bind("rail", a.rail())
                            .bind("id", a.identity())
                            .bind("type", a.identityType().name())
                            .bind("holder", a.holderName().orElse(null))
                            .bind("now", Db.ts(now))
                            .bind("by", actor)
                            .execute();
                }
                audit(h, actor, "platform.onboarded", "platform", "ledger " + ledger + ", rails " + railIds);
                return null;
            });
        } catch (Db.Refusal e) {
            return Outcome.refused(e.problem());
        }
        ctx.forgetPlatform();
        return Outcome.ok(ctx.platform().orElseThrow());
    }

    @Override
    public Optional<Platform> platform() {
        return ctx.platform();
    }

    @Override
    public Outcome<ScenicSpot> onboardScenicSpot(ScenicSpotRegistration r, String actor) {
        Optional<Problem> invalid = ctx.validation.check(r);
        if (invalid.isPresent()) {
            return Outcome.refused(invalid.get());
        }
        Optional<Platform> platform = ctx.platform();
        if (platform.isEmpty()) {
            return notOnboarded();
        }
        Optional<Problem> rail = checkRail(platform.get(), r.receivingAccount(), "receivingAccount", false);
        if (rail.isPresent()) {
            return Outcome.refused(rail.get());
        }
        String id = Ids.next("sp", ctx.clock);
        book.openScenic(platform.get().ledger(), id);
        ctx.db.tx(h -> {
            insertParty(h, id, "SCENIC_SPOT", r.name(), r.contactPhone(), Optional.empty(), r.receivingAccount(), actor);
            audit(h, actor, "scenic-spot.onboarded", id, r.name() + ", " + r.receivingAccount());
            return null;
        });
        return Outcome.ok(scenicSpot(id).orElseThrow());
    }

    @Override
    public Outcome<Distributor> onboardDistributor(DistributorRegistration r, String actor) {
        Optional<Problem> invalid = ctx.validation.check(r);
        if (invalid.isPresent()) {
            return Outcome.refused(invalid.get());
        }
        Optional<Platform> platform = ctx.platform();
        if (platform.isEmpty()) {
            return notOnboarded();
        }
        Optional<Problem> rail = checkRail(platform.get(), r.paymentAccount(), "paymentAccount", true);
        if (rail.isPresent()) {
            return Outcome.refused(rail.get());
        }
        if (r.parentId().isPresent() && distributor(r.parentId().get()).isEmpty()) {
            return Outcome.refused(ErrorCode.UNKNOWN_DISTRIBUTOR, "parent distributor " + r.parentId().get() + " does not exist");
        }
        String id = Ids.next("d", ctx.clock);
        book.openDistributor(platform.get().ledger(), id);
        ctx.db.tx(h -> {
            insertParty(h, id, "DISTRIBUTOR", r.name(), r.contactPhone(), r.parentId(), r.paymentAccount(), actor);
            audit(h, actor, "distributor.onboarded", id, r.name() + ", " + r.paymentAccount()
                    + r.parentId().map(p -> ", parent " + p).orElse(""));
            return null;
        });
        return Outcome.ok(distributor(id).orElseThrow());
    }

    @Override
    public Outcome<AccountVersion> changeAccount(String partyId, AccountSetting setting, String actor, String reason) {
        Optional<Problem> invalid = ctx.validation.check(setting);
        if (invalid.isPresent()) {
            return Outcome.refused(invalid.get());
        }
        if (reason == null || reason.isBlank() || reason.length() > 200) {
            return Outcome.refused(new Problem(ErrorCode.VALIDATION_FAILED, "invalid request: reason must have 1-200 characters",
                    List.of(new Problem.FieldError("reason", "must have 1-200 characters"))));
        }
        Optional<Platform> platform = ctx.platform();
        if (platform.isEmpty()) {
            return notOnboarded();
        }
        Optional<String> kind = ctx.db.read(h -> h.createQuery("SELECT kind FROM ticketing.parties WHERE party_id = :id")
                .bind("id", partyId).mapTo(String.class).findOne());
        if (kind.isEmpty()) {
            return Outcome.refused(ErrorCode.UNKNOWN_PARTY, "no scenic spot or distributor " + partyId);
        }
        boolean distributor = kind.get().equals("DISTRIBUTOR");
        Optional<Problem> rail = checkRail(platform.get(), setting, "setting", distributor);
        if (rail.isPresent()) {
            return Outcome.refused(rail.get());
        }
        int version = ctx.db.tx(h -> {
            int current = h.createQuery("SELECT account_version FROM ticketing.parties WHERE party_id = :id FOR UPDATE")
                    .bind("id", partyId).mapTo(Integer.class).one();
            int next = current + 1;
            insertAccount(h, partyId, next, setting, actor, reason);
            h.createUpdate("UPDATE ticketing.parties SET account_version = :v WHERE party_id = :id")
                    .bind("v", next).bind("id", partyId).execute();
            audit(h, actor, "account.changed", partyId, "version " + next + ": " + setting + " (" + reason + ")");
            return next;
        });
        return Outcome.ok(accountHistory(partyId).stream().filter(v -> v.version() == version).findFirst().orElseThrow());
    }

    @Override
    public Optional<ScenicSpot> scenicSpot(String id) {
        return ctx.db.read(h -> h.createQuery(PARTY_SELECT + " WHERE p.party_id = :id AND p.kind = 'SCENIC_SPOT'")
                .bind("id", id)
                .map((rs, c) -> new ScenicSpot(rs.getString("party_id"), rs.getString("name"), rs.getString("contact_phone"),
                        accountVersion(rs), Db.instant(rs, "created_at")))
                .findOne());
    }

    @Override
    public Optional<Distributor> distributor(String id) {
        return ctx.db.read(h -> h.createQuery(PARTY_SELECT + " WHERE p.party_id = :id AND p.kind = 'DISTRIBUTOR'")
                .bind("id", id)
                .map((rs, c) -> new Distributor(rs.getString("party_id"), rs.getString("name"), rs.getString("contact_phone"),
                        accountVersion(rs), Db.optString(rs, "parent_id"), Db.instant(rs, "created_at")))
                .findOne());
    }

    @Override
    public List<AccountVersion> accountHistory(String partyId) {
        return ctx.db.read(h -> h.createQuery("SELECT party_id, version, rail, identity, identity_type, holder_name,"
                        + " agreement_no, changed_at, changed_by, reason FROM ticketing.party_accounts WHERE party_id = :id"
                        + " ORDER BY version")
                .bind("id", partyId)
                .map((rs, c) -> accountVersion(rs))
                .list());
    }

    /** The given version of a party's account (what an order or payout uses). */
    static AccountVersion accountVersion(Handle h, String partyId, int version) {
        return h.createQuery("SELECT party_id, version, rail, identity, identity_type, holder_name, agreement_no,"
                        + " changed_at, changed_by, reason FROM ticketing.party_accounts WHERE party_id = :id AND version = :v")
                .bind("id", partyId)
                .bind("v", version)
                .map((rs, c) -> accountVersion(rs))
                .one();
    }

    @Override
    public List<AuditRecord> audit(String subject) {
        return ctx.db.read(h -> h.createQuery("SELECT * FROM ticketing.audit_log WHERE subject = :s ORDER BY id")
                .bind("s", subject)
                .map((rs, c) -> new AuditRecord(rs.getLong("id"), Db.instant(rs, "at"), rs.getString("actor"),
                        rs.getString("action"), rs.getString("subject"), rs.getString("detail")))
                .list());
    }

    @Override
    public Outcome<Money> recordFunding(RailId rail, Money amount, String reference, String actor) {
        Optional<Platform> platform = ctx.platform();
        if (platform.isEmpty()) {
            return notOnboarded();
        }
        if (reference == null || !REFERENCE.matcher(reference).matches()) {
            return Outcome.refused(new Problem(ErrorCode.VALIDATION_FAILED, "invalid request: reference must have 1-100 of [A-Za-z0-9_.:-]",
                    List.of(new Problem.FieldError("reference", "must have 1-100 of [A-Za-z0-9_.:-]"))));
        }
        if (!platform.get().settlesOn(rail)) {
            return Outcome.refused(ErrorCode.UNSUPPORTED_RAIL, "the platform has no settlement account on " + rail);
        }
        if (!amount.currency().equals(platform.get().currency())) {
            return Outcome.refused(ErrorCode.CURRENCY_MISMATCH, "amount is in " + amount.currency() + ", the platform books "
                    + platform.get().currency());
        }
        if (!amount.isPositive()) {
            return Outcome.refused(ErrorCode.INVALID_AMOUNT, "funding must be positive, was " + amount.toDecimalString());
        }
        EntryRequest entry = Book.standard(platform.get().ledger(), "funding:" + reference, "platform-funding")
                .debit(Book.settlement(rail), amount)
                .credit(Book.FUNDING, amount)
                .meta("reference", reference)
                .meta("rail", rail.value())
                .build();
        PostResult result = book.tryPost(entry);
        if (result instanceof PostResult.Rejected rej) {
            if (rej.reason() == RejectionReason.IDEMPOTENCY_CONFLICT) {
                return Outcome.refused(ErrorCode.IDEMPOTENCY_CONFLICT, "funding reference " + reference
                        + " was used before for another amount or rail");
            }
            if (rej.reason() == RejectionReason.BALANCE_OVERFLOW) {
                // Not a fault of the books: the amount is beyond what an account can hold.
                return Outcome.refused(ErrorCode.AMOUNT_OUT_OF_RANGE, "funding of " + amount.toDecimalString()
                        + " would take the settlement account beyond what it can hold");
            }
            throw new UnableToRecordEntryException("ledger refused funding " + reference + ": " + rej.reason() + " " + rej.detail());
        }
        if (result instanceof PostResult.Posted) {
            ctx.db.tx(h -> {
                audit(h, actor, "platform.funded", "platform", rail + " " + amount.toDecimalString() + " ref " + reference);
                return null;
            });
        }
        return Outcome.ok(amount);
    }

    // ---------------------------------------------------------------- helpers

    private Optional<Problem> checkRail(Platform platform, AccountSetting a, String field, boolean collects) {
        RailId rail = RailId.of(a.rail());
        if (!platform.settlesOn(rail)) {
            return Optional.of(Problem.of(ErrorCode.UNSUPPORTED_RAIL, field + ": the platform has no settlement account on "
                    + rail + " (it settles on " + platform.settlementAccounts().keySet() + ")"));
        }
        if (collects && rail.equals(RailId.ALIPAY) && a.agreementNo().isEmpty()) {
            // Collections on Alipay debit the distributor under its signed withholding agreement.
            return Optional.of(new Problem(ErrorCode.VALIDATION_FAILED,
                    "invalid request: " + field + ".agreementNo is required for collections on ALIPAY",
                    List.of(new Problem.FieldError(field + ".agreementNo", "required for collections on ALIPAY"))));
        }
        if (a.identityType() == IdentityType.LOGON_ID && a.holderName().isEmpty()) {
            return Optional.of(new Problem(ErrorCode.VALIDATION_FAILED,
                    "invalid request: " + field + ".holderName is required for a LOGON_ID account",
                    List.of(new Problem.FieldError(field + ".holderName", "required for a LOGON_ID account"))));
        }
        return Optional.empty();
    }

    private void insertParty(Handle h, String id, String kind, String name, String phone, Optional<String> parent,
                             AccountSetting account, String actor) {
        h.createUpdate("INSERT INTO ticketing.parties (party_id, kind, name, contact_phone, parent_id, account_version, created_at)"
                        + " VALUES (:id, :kind, :name, :phone, :parent, 1, :now)")
                .bind("id", id)
                .bind("kind", kind)
                .bind("name", name)
                .bind("phone", phone)
                .bind("parent", parent.orElse(null))
                .bind("now", Db.ts(ctx.now()))
                .execute();
        insertAccount(h, id, 1, account, actor, "onboarding");
    }

    private void insertAccount(Handle h, String partyId, int version, AccountSetting a, String actor, String reason) {
        h.createUpdate("INSERT INTO ticketing.party_accounts (party_id, version, rail, identity, identity_type, holder_name,"
                        + " agreement_no, changed_at, changed_by, reason) VALUES (:p, :v, :rail, :id, :type, :holder, :agr, :now, :by, :why)")
                .bind("p", partyId)
                .bind("v", version)
                .bind("rail", a.rail())
                .bind("id", a.identity())
                .bind("type", a.identityType().name())
                .bind("holder", a.holderName().orElse(null))
                .bind("agr", a.agreementNo().orElse(null))
                .bind("now", Db.ts(ctx.now()))
                .bind("by", actor)
                .bind("why", reason)
                .execute();
    }

    private void audit(Handle h, String actor, String action, String subject, String detail) {
        Audit.record(h, ctx, actor, action, subject, detail);
    }

    private static AccountVersion accountVersion(ResultSet rs) throws SQLException {
        PartyAccount account = new PartyAccount(RailId.of(rs.getString("rail")), rs.getString("identity"),
                IdentityType.valueOf(rs.getString("identity_type")), Optional.ofNullable(rs.getString("holder_name")),
                Optional.ofNullable(rs.getString("agreement_no")));
        return new AccountVersion(rs.getString("party_id"), rs.getInt("version"), account, Db.instant(rs, "changed_at"),
                rs.getString("changed_by"), rs.getString("reason"));
    }

    private static <T> Outcome<T> notOnboarded() {
        return Outcome.refused(ErrorCode.PLATFORM_NOT_ONBOARDED, "onboard the platform first");
    }
}
