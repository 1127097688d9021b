/**
 * Plug-in points of the device SDK: the HTTP transport (replace the HttpURLConnection default with
 * OkHttp or a platform client), the scan journal (the durable offline queue), the state store
 * (small named blobs: device identity, session, key set, revocations) and the device signer (swap
 * the software key for a hardware-backed one such as the Android Keystore).
 *
 * <p>Implementations must be thread-safe. Methods that may grow get default implementations.
 */
package org.ticketledger.verify.spi;
