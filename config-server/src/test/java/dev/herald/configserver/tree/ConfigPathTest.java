package dev.herald.configserver.tree;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigPathTest {

    @Test
    void requestPathsParseIntoSegments() {
        ConfigPath path = ConfigPath.parse("/apps/demo").path();
        assertThat(path.segments()).containsExactly("apps", "demo");
        assertThat(path.value()).isEqualTo("apps/demo");
        assertThat(path.name()).isEqualTo("demo");
        assertThat(ConfigPath.parse("a/b/c/d").path().ancestors())
                .extracting(ConfigPath::value).containsExactly("a", "a/b", "a/b/c");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/", "apps//demo", "apps/demo/", "a/b/c/d/e", "apps/de mo", "apps/..", "./x",
            "apps/dé", "apps/{x}"})
    void malformedPathsAreRefusedWithAReason(String raw) {
        ConfigPath.ParseResult parsed = ConfigPath.parse(raw);
        assertThat(parsed.ok()).isFalse();
        assertThat(parsed.problem()).isNotBlank();
    }

    @Test
    void historyEntriesAreNamedByTheirTenDigitVersion() {
        assertThat(ConfigTree.historyEntryName(0)).isEqualTo("0000000000");
        assertThat(ConfigTree.historyEntryName(42)).isEqualTo("0000000042");
    }
}
