package org.openfinq.testing;

import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** Endpoints that exist only in tests that register them: an unexpected failure and a slow call. */
@RestController
public class TestOnlyController {

    @PostMapping("/v1/test-only/fail")
    public String fail() {
        throw new IllegalStateException("boom: simulated bug with a secret-looking value s3cr3t");
    }

    @PostMapping("/v1/test-only/slow")
    public String slow() throws InterruptedException {
        Thread.sleep(1500);
        return "{\"done\":true}";
    }
}
