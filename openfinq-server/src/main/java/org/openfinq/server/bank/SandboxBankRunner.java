package org.openfinq.server.bank;

import org.openfinq.sandboxbank.SandboxBank;
import org.openfinq.sandboxbank.SandboxConfig;
import org.openfinq.server.config.OpenfinqProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.net.URI;

/**
 * The built-in sandbox bank: started on its own port (reached over real HTTP like any bank) unless
 * {@code OPENFINQ_SANDBOX_BANK_URL} names one that runs elsewhere — as it must when several openfinq nodes
 * share one database, so that they all talk to the same bank.
 */
@Component
public class SandboxBankRunner implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SandboxBankRunner.class);

    private final SandboxBank bank;
    private final URI url;

    public SandboxBankRunner(OpenfinqProperties props, java.time.Clock clock) {
        OpenfinqProperties.Sandbox cfg = props.sandboxBank();
        if (!cfg.url().isBlank()) {
            bank = null;
            url = URI.create(cfg.url());
            log.info("Sandbox bank: using the one at {}", url);
        } else {
            bank = SandboxBank.start(SandboxConfig.defaults().withHost(cfg.host()).withPort(cfg.port())
                    .withPublicUrl(cfg.publicUrl()).withSeed(cfg.seed())
                    .withLargePsuTransactions(cfg.largePsuTransactions()).withClock(clock));
            url = URI.create(bank.url());
            log.info("Sandbox bank: embedded, listening on {}{}", url,
                    cfg.publicUrl().isBlank() ? "" : ", SCA pages at " + cfg.publicUrl());
        }
    }

    public URI url() {
        return url;
    }

    @Override
    public void close() {
        if (bank != null) {
            bank.close();
        }
    }
}
