package org.openfinq.server.security;

import org.junit.jupiter.api.Test;

import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The firewall's header rule, checked without a regular expression, decides exactly as Spring Security's strict
 * firewall pattern does, for every code point alone, lone and paired surrogates, and mixed strings.
 */
class PathFirewallRulesTest {

    /** Spring Security's {@code StrictHttpFirewall} default for header names and values. */
    private static final Pattern STRICT = Pattern.compile("[\\p{IsAssigned}&&[^\\p{IsControl}]]*");

    @Test
    void headerRuleMatchesTheStrictFirewallPatternForEveryCodePoint() {
        int allowed = 0;
        for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++) {
            String one = new String(Character.toChars(cp));
            boolean expected = STRICT.matcher(one).matches();
            assertThat(PathFirewall.assignedNoControl(one)).as("U+%04X", cp).isEqualTo(expected);
            assertThat(PathFirewall.assignedNoControl("Bearer " + one + "x")).as("U+%04X inside", cp)
                    .isEqualTo(STRICT.matcher("Bearer " + one + "x").matches());
            allowed += expected ? 1 : 0;
        }
        assertThat(allowed).as("most code points are allowed, not all").isBetween(200_000, 1_000_000);
        for (String s : new String[]{"", "application/json", "a\u0000b", "tab\there", "del\u007f", "\ud83d\ude00 ok",
                "\ud83d lone high", "lone low \ude00", "\u0085next line", "caf\u00e9", "\uffff", "x\r\ny"}) {
            assertThat(PathFirewall.assignedNoControl(s)).as(s).isEqualTo(STRICT.matcher(s).matches());
        }
    }
}
