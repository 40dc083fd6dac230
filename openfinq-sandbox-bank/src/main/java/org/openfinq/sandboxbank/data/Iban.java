package org.openfinq.sandboxbank.data;

/** IBANs of the sandbox bank's accounts and counterparties. */
public final class Iban {

    private Iban() {
    }

    /** A Romanian IBAN: RO, check digits, 4-letter bank code, 16 account characters. */
    public static String romanian(String bankCode, String account16) {
        return org.openfinq.connector.Iban.withCheckDigits("RO", bankCode + account16);
    }

    public static boolean isValid(String iban) {
        return org.openfinq.connector.Iban.isValid(iban);
    }
}
