package dev.herald.testsupport;

import org.junit.jupiter.api.Assumptions;

/**
 * Tools a test needs from the machine (chromium, mosquitto clients, curl and openssl, ZooKeeper's
 * scripts). On a developer's machine a missing tool skips the test with the command that installs it;
 * on CI ({@code CI=true}, which {@code .ci/run} and the usual CI services set) it fails the test, so a CI
 * image that lost a package cannot turn a suite green by skipping what it was meant to prove.
 */
public final class Prerequisites {

    private Prerequisites() {
    }

    /**
     * Skips the calling test when {@code present} is false, or fails it on CI.
     *
     * @param missing what is missing and how to install it, e.g. {@code "mosquitto_sub: apt-get install -y mosquitto-clients"}
     */
    public static void require(boolean present, String missing) {
        require(present, missing, onCi());
    }

    static void require(boolean present, String missing, boolean onCi) {
        if (present) {
            return;
        }
        if (onCi) {
            throw new AssertionError("CI=true and a tool this test needs is missing (CI must not skip it): " + missing);
        }
        Assumptions.abort("skipped, a tool is missing (CI=true makes this a failure): " + missing);
    }

    /** Whether this run is on CI: the environment variable {@code CI} is {@code true}. */
    public static boolean onCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }
}
