package org.openfinq.server.sync;

import org.openfinq.connector.Transaction;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * A transaction's category: the bank's own category when it gives a plain word (as the sandbox bank does in
 * {@code proprietaryBankTransactionCode}), else one derived from the ISO 20022 purpose code.
 */
final class Categories {

    private static final Pattern WORD = Pattern.compile("[a-z][a-z_]{1,30}");
    private static final Map<String, String> PURPOSE = Map.ofEntries(
            Map.entry("GDDS", "shopping"), Map.entry("GDSV", "shopping"), Map.entry("SALA", "salary"),
            Map.entry("RENT", "housing"), Map.entry("ELEC", "utilities"), Map.entry("GASB", "utilities"),
            Map.entry("WTER", "utilities"), Map.entry("PHON", "utilities"), Map.entry("CASH", "cash"),
            Map.entry("TRPT", "transport"), Map.entry("FUEL", "transport"), Map.entry("MDCS", "health"),
            Map.entry("TAXS", "taxes"), Map.entry("INTE", "interest"), Map.entry("SUPP", "suppliers"),
            Map.entry("SCVE", "income"));

    private Categories() {
    }

    static String of(Transaction t) {
        String own = t.proprietaryCode();
        if (own != null && WORD.matcher(own).matches()) {
            return own;
        }
        return t.purposeCode() == null ? null : PURPOSE.get(t.purposeCode());
    }
}
