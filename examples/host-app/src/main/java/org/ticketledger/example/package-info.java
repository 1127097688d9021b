/** TODO */
package org.ticketledger.example;
