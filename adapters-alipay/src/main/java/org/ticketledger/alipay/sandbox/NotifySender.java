package org.ticketledger.alipay.sandbox;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.ticketledger.alipay.internal.AlipayFormats;
import org.ticketledger.alipay.internal.FormCodec;
import org.ticketledger.alipay.internal.Rsa2;
import org.ticketledger.alipay.sandbox.SandboxBank.Trade;

/**
 * Posts signed {@code trade_status_sync} notifies, as Alipay does: form-encoded, signed over every
 * parameter but {@code sign} and {@code sign_type}, re-sent on the retry schedule until the
 * receiver answers exactly {@code success}. The {@code notify_id} stays the same across attempts;
 * {@code notify_time} (and so the signature) is renewed each time.
 */
final class NotifySender {

    private static final Logger LOG = LoggerFactory.getLogger(NotifySender.class);

    private final String appId;
    private final String platformUserId;
    private final PrivateKey alipayKey;
    private final Clock clock;
    private final List<Duration> retryIntervals;
    private final ScheduledExecutorService scheduler;
    private final HttpClient http;
    private final Map<String, NotifyDelivery> deliveries = new ConcurrentHashMap<>();
    private final List<String> order = new ArrayList<>();

    NotifySender(String appId, String platformUserId, PrivateKey alipayKey, Clock clock, List<Duration> retryIntervals,
                 ScheduledExecutorService scheduler, HttpClient http) {
        this.appId = appId;
        this.platformUserId = platformUserId;
        this.alipayKey = alipayKey;
        this.clock = clock;
        this.retryIntervals = List.copyOf(retryIntervals);
        this.scheduler = scheduler;
        this.http = http;
    }

    void schedule(URI url, Trade trade) {
        String notifyId = UUID.randomUUID().toString().replace("-", "");
        deliveries.put(notifyId, new NotifyDelivery(notifyId, url, trade.outTradeNo(), 0, false));
        synchronized (order) {
            order.add(notifyId);
        }
        scheduler.execute(() -> attempt(notifyId, url, trade, 0));
    }

    List<NotifyDelivery> deliveries() {
        synchronized (order) {
            return order.stream().map(deliveries::get).toList();
        }
    }

    private void attempt(String notifyId, URI url, Trade trade, int attempt) {
        boolean acknowledged = false;
        try {
            HttpRequest request = HttpRequest.newBuilder(url)
                    .timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/x-www-form-urlencoded;charset=utf-8")
                    .POST(HttpRequest.BodyPublishers.ofString(FormCodec.encode(signed(notifyId, trade)),
                            StandardCharsets.UTF_8))
                    .build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            // Alipay wants exactly "success"; anything else counts as a failure and is retried.
            acknowledged = response.statusCode() == 200 && "success".equals(response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (Exception e) {
            LOG.debug("sandbox notify {} to {} failed: {}", notifyId, url, e.getClass().getSimpleName());
        }
        NotifyDelivery updated = new NotifyDelivery(notifyId, url, trade.outTradeNo(), attempt + 1, acknowledged);
        deliveries.put(notifyId, updated);
        if (!acknowledged && attempt < retryIntervals.size() && !scheduler.isShutdown()) {
            try {
                scheduler.schedule(() -> attempt(notifyId, url, trade, attempt + 1),
                        retryIntervals.get(attempt).toMillis(), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // The sandbox is closing.
            }
        }
    }

    private Map<String, String> signed(String notifyId, Trade trade) {
        String yuan = AlipayFormats.yuan(trade.amount());
        Map<String, String> p = new LinkedHashMap<>();
        p.put("gmt_create", AlipayFormats.time(trade.paidAt()));
        p.put("charset", "utf-8");
        p.put("seller_email", "platform@sandbox.example");
        p.put("subject", trade.subject());
        p.put("buyer_id", trade.buyer());
        p.put("invoice_amount", yuan);
        p.put("notify_id", notifyId);
        p.put("fund_bill_list", "[{\"amount\":\"" + yuan + "\",\"fundChannel\":\"ALIPAYACCOUNT\"}]");
        p.put("notify_type", "trade_status_sync");
        p.put("trade_status", "TRADE_SUCCESS");
        p.put("receipt_amount", yuan);
        p.put("app_id", appId);
        p.put("buyer_pay_amount", yuan);
        p.put("seller_id", platformUserId);
        p.put("gmt_payment", AlipayFormats.time(trade.paidAt()));
        p.put("notify_time", AlipayFormats.time(clock.instant()));
        p.put("version", "1.0");
        p.put("out_trade_no", trade.outTradeNo());
        p.put("total_amount", yuan);
        p.put("trade_no", trade.tradeNo());
        p.put("auth_app_id", appId);
        p.put("point_amount", "0.00");
        p.put("sign_type", Rsa2.SIGN_TYPE);
        p.put("sign", Rsa2.sign(alipayKey, Rsa2.signContent(p, Set.of("sign", "sign_type"))));
        return p;
    }
}
