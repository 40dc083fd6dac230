package org.openfinq.connector;

import org.iban4j.IbanFormatException;
import org.iban4j.IbanUtil;
import org.iban4j.InvalidCheckDigitException;
import org.iban4j.UnsupportedCountryException;

/**
 * IBAN checks as strict as a bank's (ISO 13616 with the SWIFT IBAN registry via iban4j): a country that issues
 * IBANs, that country's length, its BBAN structure (digits where the country has digits) and the mod-97 check
 * digits. One check shared by the server, the connectors and the sandbox bank.
 */
public final class Iban {

    private Iban() {
    }

    /** Why {@code iban} (electronic format: upper case, no spaces) is not valid, or null when it is. */
    public static String problem(String iban) {
        if (iban == null || !iban.matches("[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}")) {
            return "is not an IBAN (two letters, two digits, then 11 to 30 letters or digits, no spaces)";
        }
        String country = iban.substring(0, 2);
        try {
            IbanUtil.validate(iban);
            return null;
        } catch (UnsupportedCountryException e) {
            return "has country code " + country + ", which does not issue IBANs";
        } catch (InvalidCheckDigitException e) {
            return "has wrong check digits";
        } catch (IbanFormatException e) {
            return switch (e.getFormatViolation()) {
                case COUNTRY_CODE_EXISTS, COUNTRY_CODE_TWO_LETTERS, COUNTRY_CODE_UPPER_CASE_LETTERS ->
                        "has country code " + country + ", which does not issue IBANs";
                case BBAN_LENGTH -> "has " + iban.length() + " characters; " + country + " IBANs have "
                        + lengthOf(country);
                case BBAN_ONLY_DIGITS, BBAN_ONLY_UPPER_CASE_LETTERS, BBAN_ONLY_DIGITS_OR_LETTERS, BBAN_INVALID_ENTRY_TYPE ->
                        "does not follow the account number structure of " + country + " IBANs";
                default -> "is not a valid IBAN";
            };
        }
    }

    public static boolean isValid(String iban) {
        return problem(iban) == null;
    }

    /** A valid IBAN for {@code country} and {@code bban}: computes the two check digits. */
    public static String withCheckDigits(String country, String bban) {
        return country + IbanUtil.calculateCheckDigit(country + "00" + bban) + bban;
    }

    private static String lengthOf(String country) {
        return Integer.toString(IbanUtil.getIbanLength(org.iban4j.CountryCode.getByCode(country)));
    }
}
