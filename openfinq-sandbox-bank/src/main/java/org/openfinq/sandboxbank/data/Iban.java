package org.openfinq.sandboxbank.data;

import java.math.BigInteger;

/** IBANs with valid ISO 13616 check digits. */
public final class Iban {

    private Iban() {
    }

    /** A Romanian IBAN: RO, check digits, 4-letter bank code, 16 account characters. */
    public static String romanian(String bankCode, String account16) {
        return withCheckDigits("RO", bankCode + account16);
    }

    public static String withCheckDigits(String country, String bban) {
        int check = 98 - mod97(bban + country + "00");
        return country + (check < 10 ? "0" : "") + check + bban;
    }

    public static boolean isValid(String iban) {
        if (iban == null || !iban.matches("[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}")) {
            return false;
        }
        return mod97(iban.substring(4) + iban.substring(0, 4)) == 1;
    }

    private static int mod97(String s) {
        StringBuilder digits = new StringBuilder();
        for (char c : s.toCharArray()) {
            digits.append(Character.isLetter(c) ? Integer.toString(c - 'A' + 10) : Character.toString(c));
        }
        return new BigInteger(digits.toString()).mod(BigInteger.valueOf(97)).intValue();
    }
}
