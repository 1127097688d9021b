/**
 * Profit distribution (利润分配 / 收益分配): shares of the period's revenue streams for scenic spots
 * and distributors, approved by a second admin, settled offline (线下) or online (线上).
 */
package org.ticketledger.ticketing.profit;
