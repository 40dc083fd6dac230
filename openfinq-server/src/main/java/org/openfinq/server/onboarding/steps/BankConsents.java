package org.openfinq.server.onboarding.steps;

import org.openfinq.connector.ConsentRequest;
import org.openfinq.connector.ConsentStart;
import org.openfinq.connector.Psu;
import org.openfinq.server.bank.Connectors;
import org.openfinq.server.onboarding.StepContext;
import org.openfinq.server.tenant.Tenant;
import org.openfinq.server.tenant.TenantStore;
import org.springframework.stereotype.Component;

import java.net.URI;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * Asks the skill's bank for an account-information consent covering the tenant's consent duration (days,
 * rounded up), recurring, with the bank profile's unattended allowance.
 */
@Component
public class BankConsents {

    private final Connectors connectors;
    private final TenantStore tenants;
    private final org.openfinq.server.tenant.TenantService tenantService;
    private final Clock clock;

    public BankConsents(Connectors connectors, TenantStore tenants, org.openfinq.server.tenant.TenantService tenantService,
                        Clock clock) {
        this.connectors = connectors;
        this.tenants = tenants;
        this.tenantService = tenantService;
        this.clock = clock;
    }

    public ConsentStart create(StepContext ctx, String psuId, URI ok, URI nok) {
        int minutes = tenants.subscriptions(ctx.session().clientId()).stream()
                .filter(s -> s.skill().equals(ctx.skill().id())).mapToInt(Tenant.Subscription::consentDuration)
                .findFirst().orElse(Tenant.Subscription.DEFAULT_CONSENT_DURATION);
        LocalDate validUntil = LocalDate.now(clock.withZone(ZoneOffset.UTC)).plusDays((minutes + 1439) / 1440);
        var connector = connectors.forServicer(ctx.servicer());
        org.openfinq.server.onboarding.BankRedirect.requirePsuIdIfDecoupled(connector.profile(), psuId);
        return connector.accountInformation().createConsent(
                new ConsentRequest(java.util.List.of(), true, validUntil, connector.profile().unattendedCallsPerDay()),
                new Psu(psuId, ctx.psuIp()), new Psu.Redirects(ok, nok, tenantService.appName(ctx.session().clientId())));
    }
}
