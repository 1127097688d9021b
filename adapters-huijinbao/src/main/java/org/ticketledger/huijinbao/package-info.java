/** TODO */
package org.ticketledger.huijinbao;
