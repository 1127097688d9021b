/**
 * The TicketLedger device SDK: signed ticket codes ({@link org.ticketledger.verify.TicketCodec},
 * format in TICKET-CODE.md) and the gate device's client ({@link org.ticketledger.verify.VerifierClient},
 * protocol in DEVICE-API.md) with offline verification, an offline redemption queue and sync.
 *
 * <p>Java 11 bytecode, no dependencies beyond java.base and java.logging, no java.net.http, so the
 * SDK links on Android (API 26+) and plain JREs alike. Because Java 11 has neither records nor
 * sealed types, values are final classes validated in their constructors and result hierarchies
 * are closed by package-private constructors. Nothing in this package returns null.
 */
package org.ticketledger.verify;
