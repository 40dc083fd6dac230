package org.openfinq.sandboxbank.data;

import java.util.List;

/** A sandbox bank customer: log in with {@code id} and the sandbox password. */
public record SandboxPsu(String id, String name, List<SandboxAccount> accounts) {
}
