package org.openfinq.connector;

import java.time.LocalDate;
import java.util.List;

/**
 * An account-information consent to ask the PSU for.
 *
 * @param ibans             the accounts to cover; empty asks for all the PSU's payment accounts (the PSU
 *                          picks them at the bank)
 * @param recurring         whether the consent may be used repeatedly until {@code validUntil}
 * @param validUntil        last day of validity
 * @param frequencyPerDay   unattended reads per day asked for
 */
public record ConsentRequest(List<String> ibans, boolean recurring, LocalDate validUntil, int frequencyPerDay) {
    public ConsentRequest {
        ibans = ibans == null ? List.of() : List.copyOf(ibans);
    }
}
