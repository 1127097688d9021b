/**
 * Gate devices (DEVICE-API.md in verification-sdk): provisioning per scenic spot, operator
 * accounts, device sessions, online redemption, offline scan-journal sync with conflicts, and
 * heartbeats. Start at {@link org.ticketledger.ticketing.device.Devices}; the host app maps these
 * calls and results one to one onto {@code /device/v1/...}.
 */
package org.ticketledger.ticketing.device;
