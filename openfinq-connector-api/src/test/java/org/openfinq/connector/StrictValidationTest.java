package org.openfinq.connector;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

import static org.assertj.core.api.Assertions.assertThat;

class StrictValidationTest {

    @Test
    void realIbansOfManyCountriesPass() {
        for (String iban : new String[]{"DE89370400440532013000", "FR1420041010050500013M02606", "GB82WEST12345698765432",
                "SA0380000000608010167519", "TR330006100519786457841326", "RO49AAAA1B31007593840000", "NL91ABNA0417164300",
                "MT84MALT011000012345MTLCAST001S"}) {
            assertThat(Iban.problem(iban)).as(iban).isNull();
        }
    }

    @Test
    void ibansWithRightCheckDigitsButImpossibleForTheirCountryAreRefused() {
        // each of these passes mod-97; a bank still refuses them
        assertThat(Iban.problem("ZZ73123456789012345678")).isEqualTo("has country code ZZ, which does not issue IBANs");
        assertThat(Iban.problem("SA538000000060801016751")).isEqualTo("has 23 characters; SA IBANs have 24");
        assertThat(Iban.problem("TR5000061005197864578413")).isEqualTo("has 24 characters; TR IBANs have 26");
        assertThat(Iban.problem("DE86ABCD00440532013000")).isEqualTo("does not follow the account number structure of DE IBANs");
        assertThat(Iban.problem("FR45ABCDEF10100505000130M02")).isEqualTo("does not follow the account number structure of FR IBANs");
    }

    @Test
    void wrongCheckDigitsAndMalformedInputAreRefused() {
        assertThat(Iban.problem("DE88370400440532013000")).isEqualTo("has wrong check digits");
        assertThat(Iban.problem("de89370400440532013000")).startsWith("is not an IBAN");
        assertThat(Iban.problem("DE89 3704 0044 0532 0130 00")).startsWith("is not an IBAN");
        assertThat(Iban.problem(null)).startsWith("is not an IBAN");
    }

    @Test
    void checkDigitsAreComputedForABban() {
        assertThat(Iban.withCheckDigits("DE", "370400440532013000")).isEqualTo("DE89370400440532013000");
    }

    @Test
    void sepaTextIsExactlyTheBasicLatinSet() {
        assertThat(SepaText.problem("Invoice 2026-11/A (paid?): ok, 'x' + y.")).isNull();
        assertThat(SepaText.problem(null)).isNull();
        assertThat(SepaText.problem("Иван")).startsWith("holds characters a SEPA payment cannot carry (first: U+0418)");
        assertThat(SepaText.problem("Müller")).contains("U+00FC");
        assertThat(SepaText.problem("A & B")).contains("U+0026");
        assertThat(SepaText.problem("tab\there")).contains("U+0009");
        assertThat(SepaText.problem("rent \uD83C\uDFE0")).contains("U+1F3E0");
    }

    @Test
    void anOrderABankWouldRefuseNamesItsProblem() {
        Money m = new Money(new BigDecimal("1.00"), "EUR");
        assertThat(new PaymentOrder("sepa-credit-transfers", null, "DE89370400440532013000", m, "Ana", "NL91ABNA0417164300", "x", null)
                .problem()).isNull();
        assertThat(new PaymentOrder("sepa-credit-transfers", null, "DE89370400440532013000", m, "Ana", "ZZ73123456789012345678", "x", null)
                .problem()).isEqualTo("creditor IBAN has country code ZZ, which does not issue IBANs");
        assertThat(new PaymentOrder("sepa-credit-transfers", null, "DE89370400440532013000", m, "Анна", "NL91ABNA0417164300", null, null)
                .problem()).startsWith("creditor name holds characters");
    }
}
