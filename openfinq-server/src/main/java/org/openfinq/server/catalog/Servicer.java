package org.openfinq.server.catalog;

import java.util.UUID;

/**
 * A bank (or other provider) whose APIs we integrate.
 *
 * @param bankProfile the name of the bank profile its connector uses
 */
public record Servicer(UUID id, String name, String country, String countryCode, String bankProfile) {
}
