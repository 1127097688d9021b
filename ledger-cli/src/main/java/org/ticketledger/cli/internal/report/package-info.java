/** As-of reports (trial balance, balances, account statement) and their table, CSV and JSON forms. */
package org.ticketledger.cli.internal.report;
