/**
 * Durable background work on db-scheduler (same database): sweeps that finish orders, payouts and
 * messages from their stored state, so a crash or restart at any point resumes without loss or
 * duplication.
 */
package org.ticketledger.ticketing.jobs;
