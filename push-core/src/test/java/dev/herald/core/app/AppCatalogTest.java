package dev.herald.core.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

class AppCatalogTest {

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withUserConfiguration(CatalogConfiguration.class);

    private static App app(String id) {
        return new App(id, null, id + "-key", id + "-secret-0123456789");
    }

    @Test
    void findsConfiguredAppsByIdAndKey() {
        AppCatalog catalog = new AppCatalog(List.of(app("demo"), app("other")));

        assertThat(catalog.find("demo")).map(App::key).contains("demo-key");
        assertThat(catalog.find("demo")).map(App::name).contains("demo");
        assertThat(catalog.find("missing")).isEmpty();
        assertThat(catalog.find(null)).isEmpty();
        assertThat(catalog.findByKey("other-key")).map(App::id).contains("other");
        assertThat(catalog.findByKey("missing")).isEmpty();
        assertThat(catalog.findByKey(null)).isEmpty();
    }

    @Test
    void rejectsADuplicatedAppIdOrKey() {
        assertThatThrownBy(() -> new AppCatalog(List.of(app("demo"), app("demo"))))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new AppCatalog(List.of(app("demo"),
                new App("other", null, "demo-key", "other-secret-0123456789"))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("share a key");
    }

    @Test
    void bindsTheSingleSecretFormOfStaticConfiguration() {
        context.withPropertyValues("herald.apps[0].id=demo", "herald.apps[0].name=Demo", "herald.apps[0].key=demo-key",
                        "herald.apps[0].secret=demo-secret-0123456789")
                .run(c -> {
                    App demo = c.getBean(AppCatalog.class).find("demo").orElseThrow();
                    assertThat(demo.name()).isEqualTo("Demo");
                    assertThat(demo.secrets()).containsExactly("demo-secret-0123456789");
                    assertThat(demo.signingSecret()).isEqualTo("demo-secret-0123456789");
                    assertThat(demo.cell()).isEqualTo(App.DEFAULT_CELL);
                    assertThat(demo.limits()).isEqualTo(AppLimits.NONE);
                    assertThat(demo.callbackUrl()).isNull();
                });
    }

    @Test
    void bindsTwoSecretsCellLimitsAndCallback() {
        context.withPropertyValues("herald.apps[0].id=demo", "herald.apps[0].key=demo-key",
                        "herald.apps[0].secrets[0]=new-secret-0123456789", "herald.apps[0].secrets[1]=old-secret-0123456789",
                        "herald.apps[0].cell=b", "herald.apps[0].limits.messages-per-second=50",
                        "herald.apps[0].limits.messages-per-day=100000",
                        "herald.apps[0].callback-url=https://example.com/uplink")
                .run(c -> {
                    App demo = c.getBean(AppCatalog.class).find("demo").orElseThrow();
                    assertThat(demo.secrets()).containsExactly("new-secret-0123456789", "old-secret-0123456789");
                    assertThat(demo.cell()).isEqualTo("b");
                    assertThat(demo.limits()).isEqualTo(new AppLimits(50, 100_000));
                    assertThat(demo.callbackUrl()).isEqualTo("https://example.com/uplink");
                });
    }

    @Test
    void staticAppsWithoutACellAreInTheApiCell() {
        context.withPropertyValues("herald.api.cell=east", "herald.apps[0].id=demo", "herald.apps[0].key=demo-key",
                        "herald.apps[0].secret=demo-secret-0123456789",
                        "herald.apps[1].id=west", "herald.apps[1].key=west-key",
                        "herald.apps[1].secret=west-secret-0123456789", "herald.apps[1].cell=west")
                .run(c -> {
                    AppCatalog catalog = c.getBean(AppCatalog.class);
                    assertThat(catalog.find("demo")).map(App::cell).contains("east");
                    assertThat(catalog.find("west")).map(App::cell).contains("west");
                });
    }

    @Test
    void noAppsConfiguredMeansAnEmptyCatalog() {
        context.run(c -> assertThat(c.getBean(AppCatalog.class).apps()).isEmpty());
    }

    @Test
    void bothSecretFormsAtOnceFailStartUp() {
        context.withPropertyValues("herald.apps[0].id=demo", "herald.apps[0].key=demo-key",
                        "herald.apps[0].secret=demo-secret-0123456789", "herald.apps[0].secrets[0]=new-secret-0123456789")
                .run(c -> assertThat(c).hasFailed());
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(AppCatalog.class)
    static class CatalogConfiguration {
    }
}
