package org.openfinq.server.onboarding.steps;

import org.openfinq.server.onboarding.StepContext;
import org.openfinq.server.onboarding.StepHandler;
import org.openfinq.server.onboarding.StepOutcome;
import org.openfinq.server.onboarding.StepSchema;
import org.openfinq.server.web.JsonBody;
import org.springframework.stereotype.Component;

/** Loan skill step 1, {@code product_form}: amount ({@code value}), {@code currency} and {@code period} in months. */
@Component
public class ProductFormStep implements StepHandler {

    static final StepSchema SCHEMA = StepSchema.of(
            StepSchema.range("value", StepSchema.Kind.AMOUNT, true, 100, 1_000_000),
            StepSchema.choice("currency", true, "RON", "EUR"),
            StepSchema.range("period", StepSchema.Kind.INTEGER, true, 1, 360));

    @Override
    public String name() {
        return "product_form";
    }

    @Override
    public StepSchema schema() {
        return SCHEMA;
    }

    @Override
    public StepOutcome handle(StepContext ctx) {
        return new StepOutcome.Next(JsonBody.newObject());
    }
}
