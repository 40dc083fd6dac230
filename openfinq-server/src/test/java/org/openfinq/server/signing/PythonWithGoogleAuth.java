package org.openfinq.server.signing;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.fail;

/** A Python 3 with google-auth and requests (Debian: python3-google-auth, python3-requests), to run the docs' example. */
final class PythonWithGoogleAuth {

    private PythonWithGoogleAuth() {
    }

    static String find() throws Exception {
        for (String candidate : List.of("/usr/bin/python3", "python3")) {
            try {
                Process p = new ProcessBuilder(candidate, "-c", "import google.auth.crypt, google.auth.jwt, requests")
                        .redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                if (p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0) {
                    return candidate;
                }
            } catch (java.io.IOException notThere) {
                // next candidate
            }
        }
        return fail("The docs' Python example needs Python 3 with google-auth and requests "
                + "(apt-get install python3-google-auth python3-requests)");
    }
}
