package org.openfinq.server.config;

/**
 * A setting or a configured file that keeps the server from starting: what is wrong and how to fix it, each
 * in a sentence. The start-up failure report prints exactly these (see {@code startup.StartupFailures}).
 */
public class ConfigurationProblem extends IllegalStateException {

    private final String fix;

    public ConfigurationProblem(String problem, String fix) {
        super(problem);
        this.fix = fix;
    }

    public ConfigurationProblem(String problem, String fix, Throwable cause) {
        super(problem, cause);
        this.fix = fix;
    }

    public String fix() {
        return fix;
    }
}
