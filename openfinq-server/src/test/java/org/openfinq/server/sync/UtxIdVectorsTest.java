package org.openfinq.server.sync;

import org.junit.jupiter.api.Test;
import org.openfinq.connector.Money;
import org.openfinq.connector.Transaction;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fixed test vectors for utx_id, the id tenants store: documented inputs and the expected value, computed
 * outside openfinq with {@code python3 -c 'import hashlib,base64; print(base64.b64encode(hashlib.sha256(b"<tuple>").digest()).decode())'}.
 * A change to the formula fails here, and would change every tenant's stored ids.
 */
class UtxIdVectorsTest {

    static final UUID SERVICER = UUID.fromString("5a1d0c8e-6f3b-4c2a-9d4e-0b8f7a6c5d01");

    static Transaction tx(String id, String entryRef, Transaction.BookingStatus status, LocalDate booking, LocalDate value,
                          String amount, String currency, String creditor, String debtor, String remittance) {
        return new Transaction(id, entryRef, null, status, booking, value, new Money(new BigDecimal(amount), currency), creditor, null,
                debtor, null, remittance, null, null, null, null);
    }

    @Test
    void entryReferenceWinsAndSurvivesBooking() {
        // tuple: v1|5a1d0c8e-6f3b-4c2a-9d4e-0b8f7a6c5d01|RO49AAAA1B31007593840000|e:E0001
        String expected = "NcCJRUHUP4OEkVgXVWMni2OQ0+UBTYKbHQNxFJwh7aM=";
        Transaction pending = tx("P77", "E0001", Transaction.BookingStatus.PENDING, null, LocalDate.of(2025, 3, 2), "-12.50", "RON",
                "Mega Image", null, "Plata card Mega Image");
        Transaction booked = tx("T77", "E0001", Transaction.BookingStatus.BOOKED, LocalDate.of(2025, 3, 3), LocalDate.of(2025, 3, 2),
                "-12.50", "RON", "Mega Image", null, "Plata card Mega Image");
        assertThat(UtxId.of(SERVICER, "RO49AAAA1B31007593840000", pending, 1)).isEqualTo(expected);
        assertThat(UtxId.of(SERVICER, "RO49AAAA1B31007593840000", booked, 1)).isEqualTo(expected);
    }

    @Test
    void transactionIdWhenThereIsNoEntryReference() {
        // tuple: v1|5a1d0c8e-6f3b-4c2a-9d4e-0b8f7a6c5d01|RO49AAAA1B31007593840000|t:TX-42
        assertThat(UtxId.of(SERVICER, "RO49AAAA1B31007593840000", tx("TX-42", " ", Transaction.BookingStatus.BOOKED,
                LocalDate.of(2025, 3, 1), null, "5", "RON", null, "X", null), 1)).isEqualTo("PXWOKIkG91h5JGs91WoyTst7pMR1s4q4Yli1z6FxdDY=");
    }

    @Test
    void contentAndOccurrenceWhenTheBankGivesNoReference() {
        // tuple: v1|5a1d0c8e-6f3b-4c2a-9d4e-0b8f7a6c5d01|acc-7|c:2025-03-01|2025-03-02|-12.50|RON|Mega Image|Plata card Mega Image|2
        assertThat(UtxId.of(SERVICER, "acc-7", tx(null, null, Transaction.BookingStatus.BOOKED, LocalDate.of(2025, 3, 1),
                LocalDate.of(2025, 3, 2), "-12.50", "RON", "Mega Image", "someone", "Plata card Mega Image"), 2))
                .isEqualTo("qqqqUCqb0vos+HMk0wE2xOeOItBBitdfQ0Di66Jdh9g=");
        // tuple: v1|5a1d0c8e-6f3b-4c2a-9d4e-0b8f7a6c5d01|acc-7|c:null|2025-03-02|100.00|EUR|ACME SRL|Salariu martie 2025|1
        assertThat(UtxId.of(SERVICER, "acc-7", tx("", null, Transaction.BookingStatus.PENDING, null, LocalDate.of(2025, 3, 2),
                "100.00", "EUR", "nobody", "ACME SRL", "Salariu martie 2025"), 1))
                .isEqualTo("rTLCR9PpyskIaTD81vp6coSAEx3bPRv+dcxBhB2chy0=");
    }
}
