/**
 * Implementation details of the device SDK (JSON, Base45, stores, HTTP plumbing). Not API: may
 * change in any release.
 */
package org.ticketledger.verify.internal;
