package dev.herald.configserver.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.configserver.problem.FieldProblem;
import dev.herald.configserver.problem.ProblemCode;
import dev.herald.configserver.tree.ConfigPath;
import dev.herald.web.problem.Problems;
import dev.herald.web.problem.RejectedRequestException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class ValueRulesTest {

    private final ValueRules rules = new ValueRules();
    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void completeAppIsStoredAsGiven() {
        String app = "{\"id\":\"demo\",\"name\":\"Demo\",\"key\":\"demo-key\",\"secrets\":[\"demo-secret-0123456789\"],"
                + "\"cell\":\"default\",\"limits\":{\"messagesPerSecond\":0,\"messagesPerDay\":0},\"callbackUrl\":null}";
        assertThat(rules.check(path("apps/demo"), json.readTree(app))).isEqualTo(json.readTree(app));
    }

    @Test
    void appGetsItsDefaults() {
        JsonNode stored = rules.check(path("apps/a1"), json.readTree(
                "{\"id\":\"a1\",\"key\":\"k\",\"secrets\":[\"0123456789abcdef\"],\"callbackUrl\":\"https://x.example/cb\"}"));
        assertThat(stored).isEqualTo(json.readTree("{\"id\":\"a1\",\"name\":\"a1\",\"key\":\"k\",\"secrets\":"
                + "[\"0123456789abcdef\"],\"cell\":\"default\",\"limits\":{\"messagesPerSecond\":0,\"messagesPerDay\":0},"
                + "\"callbackUrl\":\"https://x.example/cb\"}"));
    }

    @Test
    void everyFaultOfAnAppIsNamed() {
        List<String> fields = faultyFields("apps/a1", "{\"id\":\"a2\",\"name\":\"\",\"key\":\"a:b\",\"secrets\":"
                + "[\"0123456789abcdef\",\"0123456789abcdef\"],\"cell\":\"\",\"limits\":{\"messagesPerSecond\":1.5,"
                + "\"messagesPerDay\":-2,\"burst\":3},\"callbackUrl\":\"/relative\",\"color\":\"red\"}");
        assertThat(fields).containsExactlyInAnyOrder("value.color", "value.id", "value.name", "value.key",
                "value.secrets[1]", "value.cell", "value.limits.burst", "value.limits.messagesPerSecond", "value.limits.messagesPerDay",
                "value.callbackUrl");
        assertThat(faultyFields("apps/a1", "{}")).containsExactly("value.id", "value.key", "value.secrets");
        assertThat(faultyFields("apps/a1", "{\"id\":\"a1\",\"key\":\"k\",\"secrets\":[]}"))
                .containsExactly("value.secrets");
        assertThat(faultyFields("apps/a1", "{\"id\":\"a1\",\"key\":\"k\",\"secrets\":[42]}"))
                .containsExactly("value.secrets[0]");
    }

    @Test
    void pathsFixWhatMayBeWritten() {
        for (String path : List.of("apps", "global", "apps/a/b", "global/settings/x", "global/blacklist-ips/x",
                "apps/" + "x".repeat(65))) {
            assertThatThrownBy(() -> rules.check(path(path), json.readTree("{}")))
                    .isInstanceOfSatisfying(RejectedRequestException.class, e -> assertThat(code(e))
                            .isEqualTo(ProblemCode.INVALID_PATH.name()));
        }
        assertThat(rules.check(path("global/settings"), json.readTree("{\"any\":[1,{\"thing\":true}]}"))).isNotNull();
        assertThat(rules.check(path("features/chat/rooms/max"), json.readTree("{}"))).isNotNull();
    }

    @Test
    void valueMustBeAnObject() {
        for (String value : List.of("[]", "\"text\"", "3", "null")) {
            assertThat(faultyFields("global/settings", value)).containsExactly("value");
        }
    }

    @Test
    void blacklistNeedsAListOfEntriesOnly() {
        assertThat(faultyFields("global/blacklist-ips", "{}")).containsExactly("value.entries");
        assertThat(faultyFields("global/blacklist-ips", "{\"entries\":[], \"extra\":1}")).containsExactly("value.extra");
        assertThat(faultyFields("global/blacklist-ips", "{\"entries\":[\"1.2.3.4\", \"nope\", null]}"))
                .containsExactly("value.entries[1]", "value.entries[2]");
    }

    /** The form is {@code CidrBlock.parseStrict}'s (config-client), so every service reads a stored entry alike. */
    @ParameterizedTest
    @ValueSource(strings = {"10.1.2.3", "0.0.0.0/0", "192.168.0.0/16", "2001:db8::/32", "::/0",
            "2001:0DB8:0000:0000:0000:0000:0000:0001"})
    void blacklistEntriesAreAddressesAndRanges(String entry) {
        assertThat(faultyFields("global/blacklist-ips", "{\"entries\":[\"" + entry + "\"]}")).isEmpty();
    }

    @Test
    void aBadBlacklistEntryIsNamedWithWhatIsWrong() {
        assertThat(problemMessages("global/blacklist-ips", "{\"entries\":[\"1.2.3.4\", \"010.0.0.1\", \"10.0.0.0/33\"]}"))
                .containsExactly("value.entries[1]: '010.0.0.1' is not an IPv4 or IPv6 address or CIDR range (such as "
                                + "10.1.2.3, 192.168.0.0/16 or 2001:db8::/32).",
                        "value.entries[2]: '10.0.0.0/33' has an invalid prefix length: use /0 to /32.");
    }

    private List<String> faultyFields(String path, String value) {
        try {
            rules.check(path(path), json.readTree(value));
        } catch (RejectedRequestException e) {
            @SuppressWarnings("unchecked")
            List<FieldProblem> errors = (List<FieldProblem>) e.problem().getProperties().get(Problems.ERRORS);
            return errors.stream().map(FieldProblem::field).toList();
        }
        return List.of();
    }

    private List<String> problemMessages(String path, String value) {
        try {
            rules.check(path(path), json.readTree(value));
        } catch (RejectedRequestException e) {
            @SuppressWarnings("unchecked")
            List<FieldProblem> errors = (List<FieldProblem>) e.problem().getProperties().get(Problems.ERRORS);
            return errors.stream().map(FieldProblem::message).toList();
        }
        return List.of();
    }

    private static Object code(RejectedRequestException e) {
        return e.problem().getProperties().get(Problems.CODE);
    }

    private static ConfigPath path(String text) {
        ConfigPath.ParseResult parsed = ConfigPath.parse(text);
        return parsed.ok() ? parsed.path() : ConfigPath.of(text.split("/"));
    }
}
