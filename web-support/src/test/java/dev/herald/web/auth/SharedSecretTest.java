package dev.herald.web.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SharedSecretTest {

    @Test
    void acceptsTheSecretAndTheOthersGivenAndNothingElse() {
        SharedSecret secret = SharedSecret.of("current-secret-0123456789", "previous-secret-0123456789", null);

        assertThat(secret.matches("current-secret-0123456789")).isTrue();
        assertThat(secret.matches("previous-secret-0123456789")).isTrue();
        assertThat(secret.matches("current-secret-012345678")).isFalse();
        assertThat(secret.matches("current-secret-0123456789 ")).isFalse();
        assertThat(secret.matches("")).isFalse();
        assertThat(secret.matches(null)).isFalse();
    }

    @Test
    void withoutOthersOnlyTheSecretMatches() {
        SharedSecret secret = SharedSecret.of("only-secret-0123456789");

        assertThat(secret.matches("only-secret-0123456789")).isTrue();
        assertThat(secret.matches("previous-secret-0123456789")).isFalse();
    }
}
