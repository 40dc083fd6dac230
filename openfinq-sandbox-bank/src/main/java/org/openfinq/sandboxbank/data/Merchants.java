package org.openfinq.sandboxbank.data;

import java.util.List;

/** The counterparties of generated transactions, with categories, ISO purpose codes and amount ranges. */
final class Merchants {

    private Merchants() {
    }

    /** A counterparty; amounts are in whole currency units, signed by {@link #credit}. */
    record Merchant(String name, String category, String purposeCode, String bankTransactionCode, int min, int max,
                    boolean credit) {
    }

    static final List<Merchant> CARD_RON = List.of(
            new Merchant("Mega Image", "groceries", "GDDS", "PMNT-CCRD-POSD", 20, 250, false),
            new Merchant("Lidl Romania", "groceries", "GDDS", "PMNT-CCRD-POSD", 30, 300, false),
            new Merchant("Kaufland", "groceries", "GDDS", "PMNT-CCRD-POSD", 40, 350, false),
            new Merchant("Carrefour Romania", "groceries", "GDDS", "PMNT-CCRD-POSD", 25, 400, false),
            new Merchant("eMAG", "shopping", "GDDS", "PMNT-CCRD-POSD", 30, 600, false),
            new Merchant("Altex", "shopping", "GDDS", "PMNT-CCRD-POSD", 50, 900, false),
            new Merchant("Zara Romania", "shopping", "GDDS", "PMNT-CCRD-POSD", 60, 400, false),
            new Merchant("Uber", "transport", "TRPT", "PMNT-CCRD-POSD", 15, 90, false),
            new Merchant("Bolt", "transport", "TRPT", "PMNT-CCRD-POSD", 12, 85, false),
            new Merchant("Petrom", "transport", "TRPT", "PMNT-CCRD-POSD", 150, 350, false),
            new Merchant("Glovo", "restaurants", "GDDS", "PMNT-CCRD-POSD", 35, 180, false),
            new Merchant("Starbucks", "restaurants", "GDDS", "PMNT-CCRD-POSD", 15, 60, false),
            new Merchant("Cinema City", "entertainment", "GDDS", "PMNT-CCRD-POSD", 30, 120, false),
            new Merchant("Farmacia Tei", "health", "MDCS", "PMNT-CCRD-POSD", 20, 300, false));

    static final Merchant ATM = new Merchant("ATM OFQB Unirii", "cash", "CASH", "PMNT-CCRD-CWDL", 100, 600, false);
    static final Merchant SALARY = new Merchant("Softworks SRL", "salary", "SALA", "PMNT-RCDT-ESCT", 8500, 11500, true);
    static final Merchant RENT = new Merchant("Imobiliare Rent SRL", "housing", "RENT", "PMNT-ICDT-ESCT", 2200, 2200, false);
    static final Merchant POWER = new Merchant("Enel Energie", "utilities", "ELEC", "PMNT-ICDT-ESCT", 120, 420, false);
    static final Merchant PHONE = new Merchant("Digi Romania", "utilities", "PHON", "PMNT-ICDT-ESCT", 45, 80, false);
    static final Merchant NETFLIX = new Merchant("Netflix", "entertainment", "GDDS", "PMNT-CCRD-POSD", 47, 47, false);

    static final List<Merchant> EUR = List.of(
            new Merchant("Upwork Global Inc", "income", "SCVE", "PMNT-RCDT-ESCT", 150, 1800, true),
            new Merchant("Amazon EU S.a.r.l.", "shopping", "GDDS", "PMNT-CCRD-POSD", 10, 250, false),
            new Merchant("Booking.com", "travel", "GDDS", "PMNT-CCRD-POSD", 60, 700, false),
            new Merchant("Ryanair", "travel", "TRPT", "PMNT-CCRD-POSD", 25, 300, false));

    static final List<Merchant> BUSINESS = List.of(
            new Merchant("Client Invoice Payment", "income", "SUPP", "PMNT-RCDT-ESCT", 500, 25000, true),
            new Merchant("Supplier Metalurgica SA", "suppliers", "SUPP", "PMNT-ICDT-ESCT", 300, 18000, false),
            new Merchant("Transport Logistic SRL", "transport", "TRPT", "PMNT-ICDT-ESCT", 200, 4000, false),
            new Merchant("ANAF Buget", "taxes", "TAXS", "PMNT-ICDT-ESCT", 100, 9000, false),
            new Merchant("Card Settlement Netopia", "income", "GDDS", "PMNT-RCDT-ESCT", 50, 6000, true));

    static final Merchant SAVINGS_IN = new Merchant("Own transfer", "savings", "CASH", "PMNT-RCDT-BOOK", 300, 900, true);
    static final Merchant INTEREST = new Merchant("OFQB Interest", "interest", "INTE", "PMNT-RCDT-BOOK", 1, 12, true);
}
