package org.openfinq.connector;

import java.util.regex.Pattern;

/**
 * The character set every SEPA scheme participant must accept (EPC "basic Latin" set, EPC217-08):
 * {@code a-z A-Z 0-9 / - ? : ( ) . , ' +} and the space. Anything else (accented or non-Latin letters, {@code &},
 * emoji, control characters) a bank may refuse or mangle, so it is refused before the PSU is sent to SCA.
 */
public final class SepaText {

    private static final Pattern BASIC_LATIN = Pattern.compile("[a-zA-Z0-9/\\-?:().,'+ ]*");

    private SepaText() {
    }

    /** Why {@code text} cannot be carried by a SEPA payment, or null when it can. */
    public static String problem(String text) {
        if (text == null || BASIC_LATIN.matcher(text).matches()) {
            return null;
        }
        int bad = text.codePoints().filter(c -> !BASIC_LATIN.matcher(Character.toString(c)).matches()).findFirst().orElseThrow();
        return "holds characters a SEPA payment cannot carry (first: U+" + String.format("%04X", bad)
                + "); allowed are a-z A-Z 0-9 / - ? : ( ) . , ' + and space";
    }
}
