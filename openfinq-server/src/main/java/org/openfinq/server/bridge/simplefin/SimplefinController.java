package org.openfinq.server.bridge.simplefin;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.security.SecurityScheme;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import org.openfinq.server.web.ApiError;
import org.openfinq.server.web.ApiException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The SimpleFIN Bridge protocol (simplefin.org/protocol.html): claim a setup token, then read accounts with the
 * access URL's Basic credentials. Served under {@code /simplefin}, so the claim URL matches
 * {@code /simplefin/claim/<token>} as the Firefly III data importer requires.
 */
@RestController
@Tag(name = "SimpleFIN bridge", description = "The SimpleFIN Bridge protocol for personal-finance apps (Actual Budget, "
        + "Sure, Firefly III data importer): the operator issues a setup token for a tenant_user_id, the app claims it once "
        + "for an access URL and reads every active consent of that user from the cache.")
@SecurityScheme(name = "simplefinBasic", type = SecuritySchemeType.HTTP, scheme = "basic",
        description = "The user name and password inside the access URL")
public class SimplefinController {

    private final SimplefinBridge bridge;

    public SimplefinController(SimplefinBridge bridge) {
        this.bridge = bridge;
    }

    @PostMapping(value = SimplefinBridge.ROOT + "/claim/{token}", produces = {MediaType.TEXT_PLAIN_VALUE, MediaType.APPLICATION_JSON_VALUE})
    @Operation(summary = "Claim a setup token", description = "The setup token is Base64 of this URL. The first POST answers "
            + "the access URL (https://user:password@host/simplefin) as plain text; the password is shown only then. "
            + "Any later POST, an expired (7 days) or revoked token answers 403.",
            responses = {
                    @ApiResponse(responseCode = "200", description = "The access URL",
                            content = @Content(mediaType = "text/plain", schema = @Schema(type = "string"))),
                    @ApiResponse(responseCode = "403", description = "Already claimed, expired, revoked or unknown "
                            + "(code `invalid_simplefin_access`)", content = @Content(mediaType = "application/json",
                            schema = @Schema(implementation = ApiError.class))),
                    @ApiResponse(responseCode = "429", description = "Too many failed attempts from this address",
                            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))})
    public ResponseEntity<String> claim(@PathVariable String token) {
        return ResponseEntity.ok().contentType(MediaType.TEXT_PLAIN).body(bridge.claim(token));
    }

    @GetMapping(SimplefinBridge.ROOT + "/accounts")
    @Operation(summary = "Accounts with balances and transactions", description = "Every account of every active consent of "
            + "the access URL's tenant_user_id, from the cache (a read never calls the bank). Booked transactions are "
            + "filtered by booking time; pending ones come only with pending=1, whatever the dates.",
            security = @SecurityRequirement(name = "simplefinBasic"),
            parameters = {
                    @Parameter(name = "start-date", in = ParameterIn.QUERY, description = "Unix seconds; booked on or after",
                            schema = @Schema(type = "integer", format = "int64")),
                    @Parameter(name = "end-date", in = ParameterIn.QUERY, description = "Unix seconds; booked before",
                            schema = @Schema(type = "integer", format = "int64")),
                    @Parameter(name = "pending", in = ParameterIn.QUERY, description = "1: include pending transactions",
                            schema = @Schema(type = "string", allowableValues = {"0", "1"})),
                    @Parameter(name = "balances-only", in = ParameterIn.QUERY, description = "1: no transactions",
                            schema = @Schema(type = "string", allowableValues = {"0", "1"})),
                    @Parameter(name = "account", in = ParameterIn.QUERY, description = "Only these account ids (repeatable)",
                            array = @ArraySchema(schema = @Schema(type = "string")))},
            responses = {
                    @ApiResponse(responseCode = "200", description = "Accounts", content = @Content(mediaType = "application/json",
                            schema = @Schema(implementation = SimplefinApi.AccountSet.class))),
                    @ApiResponse(responseCode = "400", description = "A date that is not an integer (code `invalid_parameter`)",
                            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class))),
                    @ApiResponse(responseCode = "403", description = "Wrong or revoked credentials (code `invalid_simplefin_access`)",
                            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class))),
                    @ApiResponse(responseCode = "429", description = "Too many failed attempts from this address",
                            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiError.class)))})
    public SimplefinApi.AccountSet accounts(HttpServletRequest request) {
        SimplefinBridge.Caller caller = (SimplefinBridge.Caller) request.getAttribute(SimplefinAuthFilter.CALLER);
        if (caller == null) {
            throw SimplefinAuthFilter.refused(); // only reachable if the security chain were bypassed
        }
        Set<String> accounts = new LinkedHashSet<>();
        String[] given = request.getParameterValues("account");
        if (given != null) {
            accounts.addAll(List.of(given));
        }
        return bridge.accounts(caller, new SimplefinBridge.Query(seconds(request, "start-date"), seconds(request, "end-date"),
                "1".equals(request.getParameter("pending")), "1".equals(request.getParameter("balances-only")), accounts));
    }

    @GetMapping(SimplefinBridge.ROOT + "/info")
    @Operation(summary = "Protocol versions", responses = @ApiResponse(responseCode = "200", description = "Versions served",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = SimplefinApi.Info.class))))
    public SimplefinApi.Info info() {
        return new SimplefinApi.Info(List.of("1.0"));
    }

    private static Long seconds(HttpServletRequest request, String name) {
        String v = request.getParameter(name);
        if (v == null || v.isBlank()) {
            return null;
        }
        try {
            long s = Long.parseLong(v.strip());
            if (s < 0 || s > 253402300799L) {
                throw new NumberFormatException();
            }
            return s;
        } catch (NumberFormatException e) {
            throw ApiException.invalid("invalid_parameter", "'" + name + "' must be a Unix time in seconds");
        }
    }
}
