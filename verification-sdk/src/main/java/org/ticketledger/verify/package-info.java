/** TODO */
package org.ticketledger.verify;
