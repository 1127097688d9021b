package org.ticketledger.example.rail;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.ticketledger.alipay.AlipayNotifications;
import org.ticketledger.example.http.Access;
import org.ticketledger.example.http.ApiModule;
import org.ticketledger.example.http.Routes;

/**
 * Alipay's asynchronous notify endpoint, {@code POST /callbacks/alipay/notify}. The notify is
 * verified (RSA2 over the form, our app id) before anything acts on it; a verified notify is handed
 * to the consumer and answered with exactly {@code success}, which stops Alipay's retries. A
 * rejected one is answered {@code failure} with 400 and is otherwise ignored: an attacker learns
 * nothing and Alipay, if it was Alipay, retries. The route is public (Alipay holds no credentials
 * of ours); the signature is the authentication.
 */
public final class AlipayNotifyModule implements ApiModule {

    /** The path Alipay posts to. */
    public static final String PATH = "/callbacks/alipay/notify";

    private static final Logger LOG = LoggerFactory.getLogger(AlipayNotifyModule.class);

    private final AlipayNotifications verifier;
    private final Consumer<AlipayNotifications.Notify> consumer;
    private final String path;

    /** Verifies with {@code verifier} and hands authentic notifies to {@code consumer}. */
    public AlipayNotifyModule(AlipayNotifications verifier, Consumer<AlipayNotifications.Notify> consumer) {
        this(verifier, consumer, PATH);
    }

    /** The same on another path (a second receiver, tests). */
    public AlipayNotifyModule(AlipayNotifications verifier, Consumer<AlipayNotifications.Notify> consumer, String path) {
        this.verifier = Objects.requireNonNull(verifier, "verifier");
        this.consumer = Objects.requireNonNull(consumer, "consumer");
        this.path = Objects.requireNonNull(path, "path");
    }

    @Override
    public void register(Routes routes) {
        routes.post(path).access(Access.PUBLIC).tag("callbacks").operationId(PATH.equals(path) ? "alipayNotify" : "alipayNotifyAt" + Math.abs(path.hashCode()))
                .summary("Alipay trade notify (form-encoded, RSA2-signed); answers exactly \"success\" once verified")
                .response(200, "Verified and accepted: the body is exactly success", "text/plain")
                .response(400, "Not verified: the body is failure", "text/plain")
                .handle(ctx -> {
                    String form = new String(ctx.bodyAsBytes(), StandardCharsets.UTF_8);
                    AlipayNotifications.Verdict verdict = verifier.verifyForm(form);
                    if (verdict instanceof AlipayNotifications.Verified v) {
                        consumer.accept(v.message());
                        ctx.status(200).contentType("text/plain").result(AlipayNotifications.SUCCESS_REPLY);
                    } else {
                        LOG.warn("refused an Alipay notify: {}", ((AlipayNotifications.Rejected) verdict).reason());
                        ctx.status(400).contentType("text/plain").result("failure");
                    }
                });
    }
}
