/** TODO */
package org.ticketledger.ticketing;
