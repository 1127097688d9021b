/**
 * The Alipay payment rail: {@link org.ticketledger.alipay.AlipayRail} speaks Alipay's OpenAPI
 * (RSA2 request signing, verified replies) for agreement debits ({@code alipay.trade.pay}),
 * transfers ({@code alipay.fund.trans.uni.transfer}), their queries and the account balance;
 * {@link org.ticketledger.alipay.AlipayNotifications} verifies Alipay's asynchronous notifies;
 * {@link org.ticketledger.alipay.AlipayKeys} loads keys. The local stand-in for Alipay is in
 * {@code org.ticketledger.alipay.sandbox}.
 *
 * <p>Nothing here returns null. Private keys and agreement numbers never reach a log or an
 * exception message.
 */
package org.ticketledger.alipay;
