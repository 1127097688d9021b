/** Implementation; not API. Classes here may change without notice. */
package org.ticketledger.ticketing.internal;
