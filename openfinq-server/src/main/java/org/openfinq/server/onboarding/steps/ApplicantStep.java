package org.openfinq.server.onboarding.steps;

import org.openfinq.server.onboarding.SessionService;
import org.openfinq.server.onboarding.StepContext;
import org.openfinq.server.onboarding.StepHandler;
import org.openfinq.server.onboarding.StepOutcome;
import org.openfinq.server.onboarding.StepSchema;
import org.openfinq.server.web.ApiException;
import org.openfinq.server.web.JsonBody;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;

/** Loan skill step 2, {@code applicant}: who applies. Personal data: stored encrypted. */
@Component
public class ApplicantStep implements StepHandler, SessionService.PersonalData {

    static final StepSchema SCHEMA = StepSchema.of(
            StepSchema.text("first_name", true, 100),
            StepSchema.text("last_name", true, 100),
            StepSchema.required("email", StepSchema.Kind.EMAIL),
            StepSchema.required("birth_date", StepSchema.Kind.DATE),
            StepSchema.optional("phone", StepSchema.Kind.PHONE),
            StepSchema.text("national_id", false, 20));

    private final Clock clock;

    public ApplicantStep(Clock clock) {
        this.clock = clock;
    }

    @Override
    public String name() {
        return "applicant";
    }

    @Override
    public StepSchema schema() {
        return SCHEMA;
    }

    @Override
    public StepOutcome handle(StepContext ctx) {
        LocalDate born = LocalDate.parse(ctx.data().get("birth_date").asString());
        if (born.plusYears(18).isAfter(LocalDate.now(clock.withZone(ZoneOffset.UTC)))) {
            throw ApiException.invalidField("data.birth_date", "the applicant must be 18 or older");
        }
        String id = ctx.data().path("national_id").asString(null);
        if (id != null && !id.matches("[0-9]{13}")) {
            throw ApiException.invalidField("data.national_id", "must be a 13-digit personal numeric code (CNP)");
        }
        return new StepOutcome.Next(JsonBody.newObject());
    }
}
