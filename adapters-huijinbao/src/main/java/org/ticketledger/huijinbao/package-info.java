/**
 * The Huijinbao (汇金宝) payment rail: {@link org.ticketledger.huijinbao.HuijinbaoRail} speaks
 * HJB-API v1 (adapters-huijinbao/PROTOCOL.md), including the wealth-plan operations, and
 * {@link org.ticketledger.huijinbao.YieldFormula} states how plan yield accrues. The local
 * Huijinbao for tests and integrators is in {@code org.ticketledger.huijinbao.sandbox}.
 */
package org.ticketledger.huijinbao;
