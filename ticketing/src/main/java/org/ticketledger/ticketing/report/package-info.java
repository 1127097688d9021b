/**
 * Financial reports (财务报表) computed from the ledger's as-of trial balances: issuance, fees,
 * margin, payouts per spot, yield, breakage, outstanding liabilities and the wealth position, as
 * values and as CSV or JSON ({@link org.ticketledger.ticketing.report.ReportFormat}).
 */
package org.ticketledger.ticketing.report;
