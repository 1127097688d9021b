/**
 * A local Huijinbao speaking HJB-API v1 on loopback, with balances, wealth plans, a movable
 * business clock and fault injection: {@link org.ticketledger.huijinbao.sandbox.HuijinbaoSandbox}.
 * Shipped in the main artifact so integrators can test against it.
 */
package org.ticketledger.huijinbao.sandbox;
