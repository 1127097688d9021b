/** Wire details shared by the Huijinbao client and sandbox; not API. */
package org.ticketledger.huijinbao.internal;
