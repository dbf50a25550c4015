package dev.herald.core.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class AppCatalogTest {

    private static App app(String id) {
        return new App(id, null, id + "-key", id + "-secret-0123456789");
    }

    @Test
    void findsConfiguredAppsById() {
        AppCatalog catalog = new AppCatalog(List.of(app("demo"), app("other")));

        assertThat(catalog.find("demo")).map(App::key).contains("demo-key");
        assertThat(catalog.find("demo")).map(App::name).contains("demo");
        assertThat(catalog.find("missing")).isEmpty();
        assertThat(catalog.find(null)).isEmpty();
    }

    @Test
    void rejectsADuplicatedAppId() {
        assertThatThrownBy(() -> new AppCatalog(List.of(app("demo"), app("demo"))))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void rejectsUnsafeIdsAndShortSecrets() {
        assertThatThrownBy(() -> new App("bad id{}", null, "k", "0123456789abcdef")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new App("demo", null, "k", "short")).isInstanceOf(IllegalArgumentException.class);
        assertThat(new App("demo", null, "k", "0123456789abcdef").toString()).doesNotContain("0123456789abcdef");
    }
}
