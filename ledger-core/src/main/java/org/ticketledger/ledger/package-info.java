/** Double-entry ledger. */
package org.ticketledger.ledger;
