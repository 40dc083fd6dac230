package org.openfinq.server.onboarding.steps;

import org.openfinq.server.config.OpenfinqProperties;
import org.openfinq.server.onboarding.StepContext;
import org.openfinq.server.onboarding.StepHandler;
import org.openfinq.server.onboarding.StepOutcome;
import org.openfinq.server.onboarding.StepSchema;
import org.openfinq.server.web.JsonBody;
import org.springframework.stereotype.Component;
import tools.jackson.databind.node.ObjectNode;

/**
 * Loan skill step 3, {@code documents}: names the document to come; the file itself goes to
 * {@code POST /v1/sessions/{id}/steps/{step_id}/upload}, which ends the session.
 */
@Component
public class DocumentsStep implements StepHandler {

    public static final java.util.List<String> CONTENT_TYPES = java.util.List.of("application/pdf", "image/jpeg", "image/png");

    static final StepSchema SCHEMA = StepSchema.of(StepSchema.choice("document_type", true, "id_card", "payslip", "bank_statement"));

    private final OpenfinqProperties props;

    public DocumentsStep(OpenfinqProperties props) {
        this.props = props;
    }

    @Override
    public String name() {
        return "documents";
    }

    @Override
    public StepSchema schema() {
        return SCHEMA;
    }

    @Override
    public StepOutcome handle(StepContext ctx) {
        ObjectNode data = JsonBody.newObject();
        ObjectNode upload = data.putObject("upload");
        upload.put("method", "POST");
        upload.put("url", "/v1/sessions/" + ctx.session().id() + "/steps/" + ctx.stepId() + "/upload");
        upload.put("content_type", "multipart/form-data");
        upload.put("max_bytes", props.onboarding().maxUploadBytes());
        CONTENT_TYPES.forEach(upload.putArray("file_types")::add);
        return new StepOutcome.AwaitUpload(data);
    }
}
