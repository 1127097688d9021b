package org.ticketledger.payment;

/** How a party's account is identified at its rail. */
public enum IdentityType {
    /** A rail-assigned user id (Alipay {@code ALIPAY_USER_ID}, 2088...). */
    USER_ID,
    /** A login name such as a phone number or e-mail (Alipay {@code ALIPAY_LOGON_ID}); needs the holder's name. */
    LOGON_ID,
    /** A member account number (Huijinbao). */
    ACCOUNT_NO
}
