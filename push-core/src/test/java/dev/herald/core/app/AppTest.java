package dev.herald.core.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AppTest {

    private static final String OLD = "old-secret-0123456789";
    private static final String NEW = "new-secret-0123456789";

    @Test
    void anyOfTwoSecretsMatchesAndTheFirstSigns() {
        App app = new App("demo", "Demo", "demo-key", List.of(NEW, OLD), "b", new AppLimits(10, 0), null);

        assertThat(app.secretMatches(NEW)).isTrue();
        assertThat(app.secretMatches(OLD)).isTrue();
        assertThat(app.secretMatches("new-secret-012345678")).isFalse();
        assertThat(app.secretMatches("")).isFalse();
        assertThat(app.secretMatches(null)).isFalse();
        assertThat(app.signingSecret()).isEqualTo(NEW);
    }

    @Test
    void defaultsFillTheOptionalParts() {
        App app = new App("demo", " ", "demo-key", List.of(NEW), null, null, " ");

        assertThat(app.name()).isEqualTo("demo");
        assertThat(app.cell()).isEqualTo(App.DEFAULT_CELL);
        assertThat(app.limits()).isEqualTo(AppLimits.NONE);
        assertThat(app.callbackUrl()).isNull();
    }

    @Test
    void secretsAreCopied() {
        List<String> secrets = new ArrayList<>(List.of(NEW));
        App app = new App("demo", null, "demo-key", secrets, null, null, null);
        secrets.add(OLD);

        assertThat(app.secrets()).containsExactly(NEW);
        assertThatThrownBy(() -> app.secrets().add(OLD)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void rejectsUnsafeIdsBadSecretsAndCells() {
        assertThatThrownBy(() -> new App("bad id{}", null, "k", "0123456789abcdef")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new App("demo", null, "k", "short")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new App("demo", null, " ", NEW)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new App("demo", null, "k", List.of(), null, null, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new App("demo", null, "k", List.of(NEW, OLD, "third-secret-0123456789"), null, null, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new App("demo", null, "k", List.of(NEW), "a{b}", null, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AppLimits(-1, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void toStringNeverShowsSecrets() {
        App app = new App("demo", null, "k", List.of(NEW, OLD), null, null, null);

        assertThat(app.toString()).doesNotContain(NEW).doesNotContain(OLD).contains("secrets=2");
    }
}
