/** TODO */
package org.ticketledger.bench;
