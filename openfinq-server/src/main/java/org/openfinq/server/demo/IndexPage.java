package org.openfinq.server.demo;

import io.swagger.v3.oas.annotations.Hidden;
import org.openfinq.server.connect.Html;
import org.openfinq.server.tenant.DemoTenant;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /}: where to go next (API docs, the demo app where it runs, health) and the version. */
@Hidden
@RestController
public class IndexPage {

    private final DemoTenant demo;

    public IndexPage(DemoTenant demo) {
        this.demo = demo;
    }

    public static String version() {
        String v = IndexPage.class.getPackage().getImplementationVersion();
        return v == null ? "development build" : v;
    }

    @GetMapping("/")
    public ResponseEntity<String> index() {
        String main = "<h1>openfinq</h1><p>An open-banking API server, wire-compatible with the Finqware API v1.</p><ul class=\"shared\">"
                + "<li><a href=\"/docs\">API documentation</a> (the OpenAPI description is at <a href=\"/openapi.json\">/openapi.json</a>)</li>"
                + (demo.clientId().isPresent() ? "<li><a href=\"/demo\">Demo app</a>: connect the sandbox bank and see its data</li>" : "")
                + "<li><a href=\"/health\">Health</a></li></ul><p class=\"muted\">Version: <span id=\"version\">"
                + Html.esc(version()) + "</span></p>";
        return Html.ok(200, Html.page("en", "openfinq", null, "<span class=\"app\">openfinq</span>", main, false));
    }
}
