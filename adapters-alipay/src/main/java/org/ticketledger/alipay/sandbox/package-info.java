/**
 * A local Alipay for tests, demos and integrators: {@link org.ticketledger.alipay.sandbox.AlipaySandbox}
 * serves Alipay's OpenAPI protocol over loopback HTTP, keeps balances, honours idempotency and
 * injects faults ({@link org.ticketledger.alipay.sandbox.AlipayFault}).
 * {@link org.ticketledger.alipay.sandbox.AlipaySandboxMain} runs it stand-alone.
 */
package org.ticketledger.alipay.sandbox;
