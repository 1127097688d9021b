/** TODO */
package org.ticketledger.alipay;
