package org.openfinq.server.tenant;

import org.openfinq.server.web.ApiException;
import org.openfinq.server.web.PublicUrl;
import org.springframework.stereotype.Component;

import java.util.UUID;

/**
 * The tenant's {@code redirect_urls} allow-list, applied to every {@code psu_redirect_link} (AIS and PIS steps,
 * Connect). This server's own Connect pages ({@code <public url>/connect/}) are always allowed: Connect sends the
 * browser there and checks the tenant's own link when the Connect session is created.
 */
@Component
public class RedirectPolicy {

    private final TenantStore tenants;
    private final PublicUrl publicUrl;

    public RedirectPolicy(TenantStore tenants, PublicUrl publicUrl) {
        this.tenants = tenants;
        this.publicUrl = publicUrl;
    }

    public void check(UUID clientId, String field, String link) {
        if (link.startsWith(publicUrl.base() + "/connect/")) {
            return;
        }
        TenantSettings settings = tenants.settings(clientId).orElse(TenantSettings.NONE);
        if (!settings.allowsRedirect(link)) {
            throw ApiException.invalidField(field, "is not one of the tenant app's redirect_urls");
        }
    }
}
