package org.openfinq.connector;

import java.math.BigInteger;
import java.util.Map;

/** IBAN checks (ISO 13616): format, country length and the mod-97 check digits. */
public final class Iban {

    private static final Map<String, Integer> LENGTHS = Map.ofEntries(
            Map.entry("AT", 20), Map.entry("BE", 16), Map.entry("BG", 22), Map.entry("CH", 21), Map.entry("CY", 28),
            Map.entry("CZ", 24), Map.entry("DE", 22), Map.entry("DK", 18), Map.entry("EE", 20), Map.entry("ES", 24),
            Map.entry("FI", 18), Map.entry("FR", 27), Map.entry("GB", 22), Map.entry("GR", 27), Map.entry("HR", 21),
            Map.entry("HU", 28), Map.entry("IE", 22), Map.entry("IS", 26), Map.entry("IT", 27), Map.entry("LI", 21),
            Map.entry("LT", 20), Map.entry("LU", 20), Map.entry("LV", 21), Map.entry("MT", 31), Map.entry("NL", 18),
            Map.entry("NO", 15), Map.entry("PL", 28), Map.entry("PT", 25), Map.entry("RO", 24), Map.entry("SE", 24),
            Map.entry("SI", 19), Map.entry("SK", 24));

    private Iban() {
    }

    /** Why {@code iban} is not valid, or null when it is. */
    public static String problem(String iban) {
        if (iban == null || !iban.matches("[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}")) {
            return "is not an IBAN (two letters, two digits, then 11 to 30 letters or digits, no spaces)";
        }
        Integer length = LENGTHS.get(iban.substring(0, 2));
        if (length != null && iban.length() != length) {
            return "has " + iban.length() + " characters; " + iban.substring(0, 2) + " IBANs have " + length;
        }
        StringBuilder digits = new StringBuilder();
        for (char c : (iban.substring(4) + iban.substring(0, 4)).toCharArray()) {
            digits.append(Character.isLetter(c) ? Integer.toString(c - 'A' + 10) : Character.toString(c));
        }
        return new BigInteger(digits.toString()).mod(BigInteger.valueOf(97)).intValue() == 1 ? null : "has wrong check digits";
    }

    public static boolean isValid(String iban) {
        return problem(iban) == null;
    }
}
