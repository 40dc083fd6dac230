package org.openfinq.server.connect;

import java.util.Locale;
import java.util.Map;

/** The hosted pages' texts in English and Romanian. */
public final class Texts {

    private static final Map<String, String[]> T = Map.ofEntries(
            Map.entry("title.pick", new String[]{"Choose your bank", "Alegeți banca"}),
            Map.entry("pick.lead", new String[]{"%s uses openfinq to connect to your bank.", "%s folosește openfinq pentru a se conecta la banca dvs."}),
            Map.entry("search", new String[]{"Search banks", "Căutați banca"}),
            Map.entry("country", new String[]{"Country", "Țara"}),
            Map.entry("all", new String[]{"All countries", "Toate țările"}),
            Map.entry("filter", new String[]{"Search", "Caută"}),
            Map.entry("none", new String[]{"No bank matches your search.", "Nicio bancă nu corespunde căutării."}),
            Map.entry("cancel", new String[]{"Cancel and return to %s", "Renunțați și reveniți la %s"}),
            Map.entry("title.consent", new String[]{"Share your data with %s", "Partajați datele cu %s"}),
            Map.entry("title.pay", new String[]{"Confirm the payment to %s", "Confirmați plata către %s"}),
            Map.entry("consent.lead", new String[]{"%s asks to see, from your account at %s:", "%s solicită să vadă, din contul dvs. la %s:"}),
            Map.entry("accounts", new String[]{"Your accounts and their details", "Conturile dvs. și detaliile lor"}),
            Map.entry("balances", new String[]{"Account balances", "Soldurile conturilor"}),
            Map.entry("transactions", new String[]{"Transactions", "Tranzacțiile"}),
            Map.entry("duration", new String[]{"For %d days, unless you withdraw your consent earlier.", "Timp de %d zile, dacă nu vă retrageți acordul mai devreme."}),
            Map.entry("pay.lead", new String[]{"%s asks you to pay from your account at %s:", "%s vă solicită o plată din contul dvs. la %s:"}),
            Map.entry("amount", new String[]{"Amount", "Suma"}),
            Map.entry("creditor", new String[]{"To", "Către"}),
            Map.entry("reference", new String[]{"Reference", "Referință"}),
            Map.entry("bank.next", new String[]{"You will sign in at %s to approve. %s never sees your bank password.", "Vă veți autentifica la %s pentru aprobare. %s nu vede parola dvs. bancară."}),
            Map.entry("continue.bank", new String[]{"Continue to %s", "Continuați la %s"}),
            Map.entry("back", new String[]{"Choose another bank", "Alegeți altă bancă"}),
            Map.entry("title.bank", new String[]{"Continue at your bank", "Continuați la bancă"}),
            Map.entry("open.bank", new String[]{"Open your bank", "Deschideți banca"}),
            Map.entry("bank.lead", new String[]{"Sign in at your bank to approve.", "Autentificați-vă la bancă pentru aprobare."}),
            Map.entry("title.done", new String[]{"Done", "Gata"}),
            Map.entry("title.failed", new String[]{"Not connected", "Neconectat"}),
            Map.entry("done.lead", new String[]{"Your bank approved. You can return to %s.", "Banca a aprobat. Puteți reveni la %s."}),
            Map.entry("failed.lead", new String[]{"The bank did not approve: %s", "Banca nu a aprobat: %s"}),
            Map.entry("continue.app", new String[]{"Continue to %s", "Continuați la %s"}),
            Map.entry("title.refused", new String[]{"This link cannot be used", "Acest link nu poate fi folosit"}),
            Map.entry("refused.unknown", new String[]{"This Connect link is not valid. Start again from the app.", "Acest link Connect nu este valid. Reluați din aplicație."}),
            Map.entry("refused.used", new String[]{"This Connect link was already used. Start again from the app.", "Acest link Connect a fost deja folosit. Reluați din aplicație."}),
            Map.entry("refused.expired", new String[]{"This Connect link has expired. Start again from the app.", "Acest link Connect a expirat. Reluați din aplicație."}),
            Map.entry("refused.browser", new String[]{"This page belongs to a Connect session opened in another browser or for another app. Start again from the app.", "Această pagină aparține unei sesiuni Connect deschise în alt browser sau pentru altă aplicație. Reluați din aplicație."}),
            Map.entry("refused.bank", new String[]{"This bank is not available here.", "Această bancă nu este disponibilă aici."}),
            Map.entry("cancelled", new String[]{"You cancelled. Nothing was shared.", "Ați renunțat. Nu s-a partajat nimic."}),
            Map.entry("secured", new String[]{"Secured by openfinq", "Securizat de openfinq"}));

    private final int index;
    private final String lang;

    private Texts(String lang) {
        this.lang = lang;
        this.index = lang.equals("ro") ? 1 : 0;
    }

    /** Romanian when asked for ({@code language}, else the first supported Accept-Language), otherwise English. */
    public static Texts of(String language, String acceptLanguage) {
        if (language != null) {
            return new Texts(language.equals("ro") ? "ro" : "en");
        }
        if (acceptLanguage != null) {
            for (String part : acceptLanguage.split(",")) {
                String tag = part.split(";")[0].strip().toLowerCase(Locale.ROOT);
                if (tag.startsWith("ro")) {
                    return new Texts("ro");
                }
                if (tag.startsWith("en")) {
                    return new Texts("en");
                }
            }
        }
        return new Texts("en");
    }

    public String lang() {
        return lang;
    }

    public String get(String key, Object... args) {
        String[] t = T.get(key);
        if (t == null) {
            throw new IllegalArgumentException(key);
        }
        return args.length == 0 ? t[index] : String.format(Locale.ROOT, t[index], args);
    }
}
