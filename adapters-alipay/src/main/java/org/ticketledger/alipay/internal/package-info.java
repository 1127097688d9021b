/**
 * Not API: the Alipay wire protocol (sign strings, RSA2, reply verification, formats), the HTTP
 * gateway client, the mapping of Alipay codes to rail outcomes, and the ServiceLoader provider.
 * Shared by the rail and the sandbox so that both sides speak exactly one protocol.
 */
package org.ticketledger.alipay.internal;
