/** The picocli commands of {@code ledger-cli} and what they share (sources, progress, output). */
package org.ticketledger.cli.internal.command;
