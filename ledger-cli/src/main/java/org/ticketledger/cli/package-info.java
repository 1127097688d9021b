/** TODO */
package org.ticketledger.cli;
