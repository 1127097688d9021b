/**
 * The payment-rail SPI: how the platform moves real money outside the ledger (Alipay, Huijinbao,
 * ...). Every instruction carries our {@link org.ticketledger.payment.RequestId}, which the rail
 * uses as its idempotency key; outcomes are values ({@link org.ticketledger.payment.RailOutcome})
 * and an unknown outcome is resolved with {@link org.ticketledger.payment.PaymentRail#query}
 * before any retry, which reuses the same request id, so nothing is charged or paid twice.
 *
 * <p>This package knows nothing of the ledger and no concrete rail.
 */
package org.ticketledger.payment;
