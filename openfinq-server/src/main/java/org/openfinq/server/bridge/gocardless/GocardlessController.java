package org.openfinq.server.bridge.gocardless;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.security.SecurityScheme;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.openfinq.server.abuse.TenantRateLimiter;
import org.openfinq.server.sync.SyncStatus;
import org.openfinq.server.web.JsonBody;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * GoCardless Bank Account Data v2 ({@code /api/v2}), for apps and libraries written against it (nordigen-node,
 * leggen; Actual Budget and the Firefly III data importer with the host redirected, see the README). Every path is
 * answered with and without its trailing slash.
 */
@RestController
@Tag(name = "GoCardless bridge", description = "The GoCardless Bank Account Data v2 API (ex-Nordigen) for personal-finance "
        + "apps and scripts: tokens from a secret pair the operator issues for a tenant_user_id, institutions (the tenant's "
        + "AIS banks), agreements, requisitions whose link runs openfinq's Connect pages, and accounts read from the cache. "
        + "Errors are {summary, detail, status_code}; answers carry http_x_ratelimit_* headers.")
@SecurityScheme(name = "gocardlessBearer", type = SecuritySchemeType.HTTP, scheme = "bearer", bearerFormat = "JWT",
        description = "The access token of POST /api/v2/token/new/")
public class GocardlessController {

    private static final String R = GocardlessBridge.ROOT;

    private final GocardlessBridge bridge;
    private final TenantRateLimiter rate;

    public GocardlessController(GocardlessBridge bridge, TenantRateLimiter rate) {
        this.bridge = bridge;
        this.rate = rate;
    }

    /** The token's holder; spends one request of the tenant's rate limit and reports it as http_x_ratelimit_*. */
    private GocardlessBridge.Caller caller(HttpServletRequest request, HttpServletResponse response) {
        if (!(request.getAttribute(GocardlessAuthFilter.CALLER) instanceof GocardlessBridge.Caller c)) {
            throw GocardlessBridge.invalidToken(); // unreachable unless the security chain were bypassed
        }
        rate.acquire(c.clientId());
        java.util.Map<String, String> headers = new java.util.HashMap<>();
        for (String name : List.of("RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset")) {
            if (response.getHeader(name) != null) {
                headers.put(name, response.getHeader(name));
            }
        }
        GocardlessErrors.rateHeaders(headers, response::setHeader);
        return c;
    }

    /** An account of the caller's; the bank allowance behind its data as http_x_ratelimit_account_success_*. */
    private GocardlessBridge.Owned account(HttpServletRequest request, HttpServletResponse response, String id) {
        GocardlessBridge.Owned o = bridge.account(caller(request, response), id);
        SyncStatus.Allowance a = bridge.allowance(o);
        response.setHeader("http_x_ratelimit_account_success_limit", Integer.toString(a.limit()));
        response.setHeader("http_x_ratelimit_account_success_remaining", Integer.toString(a.remaining()));
        response.setHeader("http_x_ratelimit_account_success_reset", Long.toString(a.resetSeconds()));
        return o;
    }

    private static JsonNode json(byte[] body) {
        if (body == null || body.length == 0) {
            return JsonNodeFactory.instance.objectNode();
        }
        return JsonBody.parse(body).node(); // strict: an object, no duplicate keys, only text PostgreSQL can store
    }

    // --- tokens ----------------------------------------------------------------------------------------------

    @PostMapping({R + "/token/new/", R + "/token/new"})
    @Operation(summary = "Obtain a new access/refresh token pair", description = "With the secret_id and secret_key the "
            + "operator issued (./openfinq admin bridge gocardless-secret). Failures count towards the per-address lockout.",
            requestBody = @RequestBody(content = @Content(schema = @Schema(implementation = GocardlessApi.NewToken.class))),
            responses = {@ApiResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = GocardlessApi.Tokens.class))),
                    @ApiResponse(responseCode = "401", description = "Authentication failed", content = @Content(schema = @Schema(implementation = GocardlessApi.Error.class))),
                    @ApiResponse(responseCode = "429", description = "Locked out after repeated failures", content = @Content(schema = @Schema(implementation = GocardlessApi.Error.class)))})
    public GocardlessApi.Tokens newToken(@org.springframework.web.bind.annotation.RequestBody(required = false) byte[] body,
                                         HttpServletRequest request) {
        return bridge.newToken(json(body), request.getRemoteAddr());
    }

    @PostMapping({R + "/token/refresh/", R + "/token/refresh"})
    @Operation(summary = "Get a new access token", requestBody = @RequestBody(content = @Content(schema = @Schema(implementation = GocardlessApi.RefreshRequest.class))),
            responses = {@ApiResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = GocardlessApi.Tokens.class))),
                    @ApiResponse(responseCode = "401", description = "Invalid token", content = @Content(schema = @Schema(implementation = GocardlessApi.Error.class)))})
    public GocardlessApi.Tokens refresh(@org.springframework.web.bind.annotation.RequestBody(required = false) byte[] body,
                                        HttpServletRequest request) {
        return bridge.refresh(json(body), request.getRemoteAddr());
    }

    // --- institutions ----------------------------------------------------------------------------------------

    @GetMapping({R + "/institutions/", R + "/institutions"})
    @Operation(summary = "List institutions", description = "The AIS banks the tenant subscribes to; a bank's id is the "
            + "GoCardless institution id its profile declares (institution_ids.gocardless; the sandbox bank is "
            + "SANDBOXFINANCE_SFIN0000), else OPENFINQ_<skill>.", security = @SecurityRequirement(name = "gocardlessBearer"),
            responses = {@ApiResponse(responseCode = "200", content = @Content(array = @io.swagger.v3.oas.annotations.media.ArraySchema(
                    schema = @Schema(implementation = GocardlessApi.Institution.class)))),
                    @ApiResponse(responseCode = "401", description = "Invalid token", content = @Content(schema = @Schema(implementation = GocardlessApi.Error.class)))})
    public List<GocardlessApi.Institution> institutions(@RequestParam(required = false) String country,
                                                        HttpServletRequest request, HttpServletResponse response) {
        return bridge.institutions(caller(request, response), country);
    }

    @GetMapping({R + "/institutions/{id}/", R + "/institutions/{id}"})
    @Operation(summary = "Get an institution", security = @SecurityRequirement(name = "gocardlessBearer"),
            responses = {@ApiResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = GocardlessApi.Institution.class))),
                    @ApiResponse(responseCode = "404", content = @Content(schema = @Schema(implementation = GocardlessApi.Error.class)))})
    public GocardlessApi.Institution institution(@PathVariable String id, HttpServletRequest request, HttpServletResponse response) {
        return bridge.institution(caller(request, response), id);
    }

    // --- agreements ------------------------------------------------------------------------------------------

    @PostMapping({R + "/agreements/enduser/", R + "/agreements/enduser"})
    @Operation(summary = "Create an end user agreement", description = "Recorded and shown; the consent's real length is "
            + "the tenant's consent_duration for the bank (max_access_valid_for_days of the institution).",
            security = @SecurityRequirement(name = "gocardlessBearer"),
            requestBody = @RequestBody(content = @Content(schema = @Schema(implementation = GocardlessApi.AgreementRequest.class))),
            responses = {@ApiResponse(responseCode = "201", content = @Content(schema = @Schema(implementation = GocardlessApi.Agreement.class))),
                    @ApiResponse(responseCode = "400", content = @Content(schema = @Schema(implementation = GocardlessApi.Error.class)))})
    public ResponseEntity<GocardlessApi.Agreement> createAgreement(@org.springframework.web.bind.annotation.RequestBody(required = false) byte[] body,
                                                                   HttpServletRequest request, HttpServletResponse response) {
        return ResponseEntity.status(HttpStatus.CREATED).body(bridge.createAgreement(caller(request, response), json(body)));
    }

    @GetMapping({R + "/agreements/enduser/", R + "/agreements/enduser"})
    @Operation(summary = "List end user agreements", security = @SecurityRequirement(name = "gocardlessBearer"),
            responses = @ApiResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = GocardlessApi.AgreementPage.class))))
    public GocardlessApi.AgreementPage agreements(@RequestParam(required = false) String limit, @RequestParam(required = false) String offset,
                                                  HttpServletRequest request, HttpServletResponse response) {
        GocardlessBridge.Caller c = caller(request, response);
        return bridge.agreements(c, GocardlessBridge.paging(limit, "limit", 100, 100), GocardlessBridge.paging(offset, "offset", 0, Integer.MAX_VALUE));
    }

    @GetMapping({R + "/agreements/enduser/{id}/", R + "/agreements/enduser/{id}"})
    @Operation(summary = "Get an end user agreement", security = @SecurityRequirement(name = "gocardlessBearer"),
            responses = {@ApiResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = GocardlessApi.Agreement.class))),
                    @ApiResponse(responseCode = "404", content = @Content(schema = @Schema(implementation = GocardlessApi.Error.class)))})
    public GocardlessApi.Agreement agreement(@PathVariable String id, HttpServletRequest request, HttpServletResponse response) {
        return bridge.getAgreement(caller(request, response), id);
    }

    @DeleteMapping({R + "/agreements/enduser/{id}/", R + "/agreements/enduser/{id}"})
    @Operation(summary = "Delete an end user agreement", security = @SecurityRequirement(name = "gocardlessBearer"),
            responses = {@ApiResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = GocardlessApi.Deleted.class))),
                    @ApiResponse(responseCode = "404", content = @Content(schema = @Schema(implementation = GocardlessApi.Error.class)))})
    public GocardlessApi.Deleted deleteAgreement(@PathVariable String id, HttpServletRequest request, HttpServletResponse response) {
        return bridge.deleteAgreement(caller(request, response), id);
    }

    @PutMapping({R + "/agreements/enduser/{id}/accept/", R + "/agreements/enduser/{id}/accept"})
    @Operation(summary = "Accept an end user agreement", security = @SecurityRequirement(name = "gocardlessBearer"),
            requestBody = @RequestBody(content = @Content(schema = @Schema(implementation = GocardlessApi.AcceptRequest.class))),
            responses = {@ApiResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = GocardlessApi.Agreement.class))),
                    @ApiResponse(responseCode = "404", content = @Content(schema = @Schema(implementation = GocardlessApi.Error.class)))})
    public GocardlessApi.Agreement accept(@PathVariable String id, @org.springframework.web.bind.annotation.RequestBody(required = false) byte[] body,
                                          HttpServletRequest request, HttpServletResponse response) {
        return bridge.accept(caller(request, response), id, json(body));
    }

    // --- requisitions ----------------------------------------------------------------------------------------

    @PostMapping({R + "/requisitions/", R + "/requisitions"})
    @Operation(summary = "Create a requisition", description = "Its link runs openfinq's Connect pages and the bank's SCA, "
            + "then redirects to redirect?ref=<reference>.", security = @SecurityRequirement(name = "gocardlessBearer"),
            requestBody = @RequestBody(content = @Content(schema = @Schema(implementation = GocardlessApi.RequisitionRequest.class))),
            responses = {@ApiResponse(responseCode = "201", content = @Content(schema = @Schema(implementation = GocardlessApi.Requisition.class))),
                    @ApiResponse(responseCode = "400", content = @Content(schema = @Schema(implementation = GocardlessApi.Error.class)))})
    public ResponseEntity<GocardlessApi.Requisition> createRequisition(@org.springframework.web.bind.annotation.RequestBody(required = false) byte[] body,
                                                                       HttpServletRequest request, HttpServletResponse response) {
        return ResponseEntity.status(HttpStatus.CREATED).body(bridge.createRequisition(caller(request, response), json(body)));
    }

    @GetMapping({R + "/requisitions/", R + "/requisitions"})
    @Operation(summary = "List requisitions", description = "Newest first; limit (at most 100) and offset",
            security = @SecurityRequirement(name = "gocardlessBearer"),
            responses = @ApiResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = GocardlessApi.RequisitionPage.class))))
    public GocardlessApi.RequisitionPage requisitions(@RequestParam(required = false) String limit, @RequestParam(required = false) String offset,
                                                      HttpServletRequest request, HttpServletResponse response) {
        GocardlessBridge.Caller c = caller(request, response);
        return bridge.requisitions(c, GocardlessBridge.paging(limit, "limit", 100, 100), GocardlessBridge.paging(offset, "offset", 0, Integer.MAX_VALUE));
    }

    @GetMapping({R + "/requisitions/{id}/", R + "/requisitions/{id}"})
    @Operation(summary = "Get a requisition", security = @SecurityRequirement(name = "gocardlessBearer"),
            responses = {@ApiResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = GocardlessApi.Requisition.class))),
                    @ApiResponse(responseCode = "404", content = @Content(schema = @Schema(implementation = GocardlessApi.Error.class)))})
    public GocardlessApi.Requisition requisition(@PathVariable String id, HttpServletRequest request, HttpServletResponse response) {
        return bridge.getRequisition(caller(request, response), id);
    }

    @DeleteMapping({R + "/requisitions/{id}/", R + "/requisitions/{id}"})
    @Operation(summary = "Delete a requisition", description = "With its agreement and its consent (revoked at the bank)",
            security = @SecurityRequirement(name = "gocardlessBearer"),
            responses = {@ApiResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = GocardlessApi.Deleted.class))),
                    @ApiResponse(responseCode = "404", content = @Content(schema = @Schema(implementation = GocardlessApi.Error.class)))})
    public GocardlessApi.Deleted deleteRequisition(@PathVariable String id, HttpServletRequest request, HttpServletResponse response) {
        return bridge.deleteRequisition(caller(request, response), id);
    }

    @GetMapping({R + "/link/{id}", R + "/link/{id}/"})
    @Operation(summary = "A requisition's link (for the end-user's browser)", description = "Redirects to a new Connect "
            + "flow for the requisition's bank; needs no token (the requisition id is the link).",
            responses = {@ApiResponse(responseCode = "302", description = "To the Connect pages"),
                    @ApiResponse(responseCode = "400", content = @Content(schema = @Schema(implementation = GocardlessApi.Error.class)))})
    public ResponseEntity<Void> link(@PathVariable String id) {
        return ResponseEntity.status(HttpStatus.FOUND).location(URI.create(bridge.openLink(id))).build();
    }

    @GetMapping(R + "/link/{id}/return")
    @Operation(summary = "Where Connect ends (for the end-user's browser)", description = "Links the requisition (LN) or "
            + "rejects it (RJ), then redirects to the client's redirect with ?ref=<reference>.",
            responses = @ApiResponse(responseCode = "302", description = "To the client's redirect"))
    public ResponseEntity<Void> linkReturn(@PathVariable String id, @RequestParam Map<String, String> params) {
        return ResponseEntity.status(HttpStatus.FOUND).location(URI.create(bridge.linkReturned(id, params))).build();
    }

    // --- accounts --------------------------------------------------------------------------------------------

    @GetMapping({R + "/accounts/{id}/", R + "/accounts/{id}"})
    @Operation(summary = "Account metadata", security = @SecurityRequirement(name = "gocardlessBearer"),
            responses = {@ApiResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = GocardlessApi.Account.class))),
                    @ApiResponse(responseCode = "404", content = @Content(schema = @Schema(implementation = GocardlessApi.Error.class)))})
    public GocardlessApi.Account metadata(@PathVariable String id, HttpServletRequest request, HttpServletResponse response) {
        return bridge.metadata(account(request, response, id));
    }

    @GetMapping({R + "/accounts/{id}/details/", R + "/accounts/{id}/details"})
    @Operation(summary = "Account details", description = "From the cache; 401 'End User Agreement (EUA) ... has expired' once "
            + "the consent expired", security = @SecurityRequirement(name = "gocardlessBearer"),
            responses = {@ApiResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = GocardlessApi.Details.class))),
                    @ApiResponse(responseCode = "401", content = @Content(schema = @Schema(implementation = GocardlessApi.Error.class))),
                    @ApiResponse(responseCode = "404", content = @Content(schema = @Schema(implementation = GocardlessApi.Error.class)))})
    public GocardlessApi.Details details(@PathVariable String id, HttpServletRequest request, HttpServletResponse response) {
        GocardlessBridge.Owned o = account(request, response, id);
        bridge.requireActive(o);
        return bridge.details(o);
    }

    @GetMapping({R + "/accounts/{id}/balances/", R + "/accounts/{id}/balances"})
    @Operation(summary = "Account balances", description = "From the cache, as the bank reported them (balanceType in "
            + "NextGenPSD2 names, e.g. interimAvailable)", security = @SecurityRequirement(name = "gocardlessBearer"),
            responses = {@ApiResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = GocardlessApi.Balances.class))),
                    @ApiResponse(responseCode = "401", content = @Content(schema = @Schema(implementation = GocardlessApi.Error.class))),
                    @ApiResponse(responseCode = "404", content = @Content(schema = @Schema(implementation = GocardlessApi.Error.class)))})
    public GocardlessApi.Balances balances(@PathVariable String id, HttpServletRequest request, HttpServletResponse response) {
        GocardlessBridge.Owned o = account(request, response, id);
        bridge.requireActive(o);
        return bridge.balances(o);
    }

    @GetMapping({R + "/accounts/{id}/transactions/", R + "/accounts/{id}/transactions"})
    @Operation(summary = "Account transactions", description = "From the cache: booked ones by booking date (UTC) within "
            + "date_from..date_to (YYYY-MM-DD, both inclusive), and every pending one",
            security = @SecurityRequirement(name = "gocardlessBearer"),
            responses = {@ApiResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = GocardlessApi.Transactions.class))),
                    @ApiResponse(responseCode = "400", content = @Content(schema = @Schema(implementation = GocardlessApi.Error.class))),
                    @ApiResponse(responseCode = "401", content = @Content(schema = @Schema(implementation = GocardlessApi.Error.class))),
                    @ApiResponse(responseCode = "404", content = @Content(schema = @Schema(implementation = GocardlessApi.Error.class)))})
    public GocardlessApi.Transactions transactions(@PathVariable String id, @RequestParam(name = "date_from", required = false) String dateFrom,
                                                   @RequestParam(name = "date_to", required = false) String dateTo,
                                                   HttpServletRequest request, HttpServletResponse response) {
        GocardlessBridge.Owned o = account(request, response, id);
        bridge.requireActive(o);
        return bridge.transactions(o, dateFrom, dateTo);
    }

}
