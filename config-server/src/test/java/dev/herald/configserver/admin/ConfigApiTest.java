package dev.herald.configserver.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.configserver.ConfigServerIntegrationTest;
import dev.herald.configserver.problem.ProblemCode;
import dev.herald.configserver.tree.ConfigPath;
import dev.herald.configserver.tree.ConfigTree;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The admin API against a real ZooKeeper. Every test works on its own paths, so the order does not matter;
 * the seeded tree ({@code apps/demo} with key {@code demo-key}) is read but never changed here.
 */
class ConfigApiTest extends ConfigServerIntegrationTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    CuratorFramework curator;

    @Autowired
    ConfigTree tree;

    @Test
    void createdNodeIsReadableAndListed() {
        asAdmin().post().uri("/admin/v1/config/features/chat")
                .header(ConfigController.OPERATOR_HEADER, "alice")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"value\": {\"enabled\": true, \"maxRooms\": 20}}")
                .exchange()
                .expectStatus().isCreated()
                .expectHeader().location("/admin/v1/config/features/chat")
                .expectBody()
                .jsonPath("$.path").isEqualTo("features/chat")
                .jsonPath("$.version").isEqualTo(0)
                .jsonPath("$.state").isEqualTo("online")
                .jsonPath("$.updatedBy").isEqualTo("alice")
                .jsonPath("$.updatedAt").value(String.class,
                        at -> assertThat(Instant.parse(at)).isBefore(Instant.now().plusSeconds(1)))
                .jsonPath("$.value.maxRooms").isEqualTo(20);

        asAdmin().get().uri("/admin/v1/config/features/chat").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.version").isEqualTo(0)
                .jsonPath("$.updatedBy").isEqualTo("alice")
                .jsonPath("$.value.enabled").isEqualTo(true);

        asAdmin().get().uri("/admin/v1/config").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$[?(@.path == 'features/chat')].version").isEqualTo(0)
                .jsonPath("$[?(@.path == 'features/chat')].state").isEqualTo("online")
                .jsonPath("$[?(@.path == 'features/chat')].value").doesNotExist()
                .jsonPath("$[?(@.path == 'apps/demo')]").exists();
    }

    @Test
    void writerDefaultsToAdminWithoutOperatorHeader() {
        create("features/anonymous", "{\"value\": {}}").expectStatus().isCreated()
                .expectBody().jsonPath("$.updatedBy").isEqualTo("admin");
    }

    @Test
    void creatingAnExistingNodeConflicts() {
        create("features/twice", "{\"value\": {\"n\": 1}}").expectStatus().isCreated().expectBody();
        expectProblem(create("features/twice", "{\"value\": {\"n\": 2}}"), HttpStatus.CONFLICT, ProblemCode.NODE_EXISTS)
                .jsonPath("$.currentVersion").isEqualTo(0);
        asAdmin().get().uri("/admin/v1/config/features/twice").exchange()
                .expectBody().jsonPath("$.value.n").isEqualTo(1);
    }

    @Test
    void missingNodeIsNotFound() {
        expectProblem(asAdmin().get().uri("/admin/v1/config/features/nothing").exchange(), HttpStatus.NOT_FOUND,
                ProblemCode.NOT_FOUND);
        // A folder is not a node.
        expectProblem(asAdmin().get().uri("/admin/v1/config/apps").exchange(), HttpStatus.NOT_FOUND,
                ProblemCode.NOT_FOUND);
        expectProblem(update("features/nothing", 0, "{\"a\": 1}"), HttpStatus.NOT_FOUND, ProblemCode.NOT_FOUND);
        expectProblem(asAdmin().get().uri("/admin/v1/history/features/nothing").exchange(), HttpStatus.NOT_FOUND,
                ProblemCode.NOT_FOUND);
    }

    @Test
    void updateWithTheReadVersionIncrementsItAndFilesThePreviousDocument() {
        create("features/versioned", "{\"value\": {\"step\": 0}}").expectStatus().isCreated().expectBody();

        update("features/versioned", 0, "{\"step\": 1}").expectStatus().isOk()
                .expectBody()
                .jsonPath("$.version").isEqualTo(1)
                .jsonPath("$.value.step").isEqualTo(1);
        update("features/versioned", 1, "{\"step\": 2}").expectStatus().isOk()
                .expectBody().jsonPath("$.version").isEqualTo(2);

        asAdmin().get().uri("/admin/v1/history/features/versioned").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.length()").isEqualTo(2)
                .jsonPath("$[0].version").isEqualTo(1)
                .jsonPath("$[0].value.step").isEqualTo(1)
                .jsonPath("$[1].version").isEqualTo(0)
                .jsonPath("$[1].value.step").isEqualTo(0)
                .jsonPath("$[1].state").isEqualTo("online");
    }

    @Test
    void staleUpdateConflictsAndChangesNothing() throws Exception {
        create("features/contended", "{\"value\": {\"owner\": \"first\"}}").expectStatus().isCreated().expectBody();
        update("features/contended", 0, "{\"owner\": \"second\"}").expectStatus().isOk().expectBody();

        expectProblem(update("features/contended", 0, "{\"owner\": \"late\"}"), HttpStatus.CONFLICT,
                ProblemCode.VERSION_CONFLICT)
                .jsonPath("$.currentVersion").isEqualTo(1)
                .jsonPath("$.detail").value(String.class, d -> assertThat(d).contains("at version 1, not 0"));

        asAdmin().get().uri("/admin/v1/config/features/contended").exchange()
                .expectBody()
                .jsonPath("$.version").isEqualTo(1)
                .jsonPath("$.value.owner").isEqualTo("second");
        asAdmin().get().uri("/admin/v1/history/features/contended").exchange()
                .expectBody().jsonPath("$.length()").isEqualTo(1);
        assertThat(curator.getChildren().forPath(tree.historyZnode(path("features/contended")))).hasSize(1);
    }

    @Test
    void historyKeepsOnlyTheNewestDocuments() throws Exception {
        create("features/busy", "{\"value\": {\"n\": 0}}").expectStatus().isCreated().expectBody();
        for (int version = 0; version < 5; version++) {
            update("features/busy", version, "{\"n\": " + (version + 1) + "}").expectStatus().isOk().expectBody();
        }
        // history-size is 3 in application-test.yml
        asAdmin().get().uri("/admin/v1/history/features/busy").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.length()").isEqualTo(3)
                .jsonPath("$[0].version").isEqualTo(4)
                .jsonPath("$[2].version").isEqualTo(2);
        assertThat(curator.getChildren().forPath(tree.historyZnode(path("features/busy"))))
                .containsExactlyInAnyOrder("0000000002", "0000000003", "0000000004");
    }

    @Test
    void deleteNeedsTheCurrentVersionAndKeepsTheLastDocumentInTheHistory() {
        create("features/doomed", "{\"value\": {\"n\": 0}}").expectStatus().isCreated().expectBody();
        update("features/doomed", 0, "{\"n\": 1}").expectStatus().isOk().expectBody();

        expectProblem(delete("features/doomed", 0), HttpStatus.CONFLICT, ProblemCode.VERSION_CONFLICT)
                .jsonPath("$.currentVersion").isEqualTo(1);
        asAdmin().get().uri("/admin/v1/config/features/doomed").exchange().expectStatus().isOk().expectBody();

        delete("features/doomed", 1).expectStatus().isNoContent().expectBody().isEmpty();

        expectProblem(asAdmin().get().uri("/admin/v1/config/features/doomed").exchange(), HttpStatus.NOT_FOUND,
                ProblemCode.NOT_FOUND);
        asAdmin().get().uri("/admin/v1/history/features/doomed").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.length()").isEqualTo(2)
                .jsonPath("$[0].version").isEqualTo(1)
                .jsonPath("$[0].value.n").isEqualTo(1);
        expectProblem(delete("features/doomed", 1), HttpStatus.NOT_FOUND, ProblemCode.NOT_FOUND);
    }

    @Test
    void deleteWithoutVersionIsRejected() {
        create("features/kept", "{\"value\": {}}").expectStatus().isCreated().expectBody();
        expectProblem(asAdmin().delete().uri("/admin/v1/config/features/kept").exchange(), HttpStatus.BAD_REQUEST,
                ProblemCode.INVALID_REQUEST)
                .jsonPath("$.errors[0].field").isEqualTo("expectedVersion");
    }

    @Test
    void recreatedNodeStartsAtVersionZeroWithAFreshHistory() {
        create("features/phoenix", "{\"value\": {\"life\": 1}}").expectStatus().isCreated().expectBody();
        update("features/phoenix", 0, "{\"life\": 1.5}").expectStatus().isOk().expectBody();
        delete("features/phoenix", 1).expectStatus().isNoContent().expectBody();

        create("features/phoenix", "{\"value\": {\"life\": 2}}").expectStatus().isCreated()
                .expectBody().jsonPath("$.version").isEqualTo(0);
        asAdmin().get().uri("/admin/v1/history/features/phoenix").exchange()
                .expectBody().jsonPath("$.length()").isEqualTo(0);
        update("features/phoenix", 0, "{\"life\": 3}").expectStatus().isOk().expectBody();
        asAdmin().get().uri("/admin/v1/history/features/phoenix").exchange()
                .expectBody()
                .jsonPath("$.length()").isEqualTo(1)
                .jsonPath("$[0].value.life").isEqualTo(2);
    }

    @Test
    void stateToggleIsAVersionedUpdateThatKeepsTheValue() {
        create("apps/toggle", app("toggle", "toggle-key")).expectStatus().isCreated().expectBody();

        setState("apps/toggle", "offline", 0).expectStatus().isOk()
                .expectBody()
                .jsonPath("$.version").isEqualTo(1)
                .jsonPath("$.state").isEqualTo("offline")
                .jsonPath("$.value.key").isEqualTo("toggle-key");
        expectProblem(setState("apps/toggle", "online", 0), HttpStatus.CONFLICT, ProblemCode.VERSION_CONFLICT);
        expectProblem(setState("apps/toggle", "paused", 1), HttpStatus.BAD_REQUEST, ProblemCode.INVALID_REQUEST)
                .jsonPath("$.errors[0].field").isEqualTo("state");

        asAdmin().get().uri("/admin/v1/history/apps/toggle").exchange()
                .expectBody()
                .jsonPath("$[0].version").isEqualTo(0)
                .jsonPath("$[0].state").isEqualTo("online");
        // A PUT without a state keeps the current one.
        update("apps/toggle", 1, appValue("toggle", "toggle-key-2")).expectStatus().isOk()
                .expectBody()
                .jsonPath("$.state").isEqualTo("offline")
                .jsonPath("$.value.key").isEqualTo("toggle-key-2");
    }

    @Test
    void nodeCanBeCreatedOffline() {
        create("apps/prepared", "{\"state\": \"offline\", \"value\": " + appValue("prepared", "prepared-key") + "}")
                .expectStatus().isCreated()
                .expectBody().jsonPath("$.state").isEqualTo("offline");
    }

    @Test
    void appDocumentIsStoredWithItsDefaults() {
        create("apps/minimal", "{\"value\": {\"id\": \"minimal\", \"key\": \"minimal-key\", "
                + "\"secrets\": [\"minimal-secret-0123456789\"]}}")
                .expectStatus().isCreated()
                .expectBody()
                .jsonPath("$.value.id").isEqualTo("minimal")
                .jsonPath("$.value.name").isEqualTo("minimal")
                .jsonPath("$.value.cell").isEqualTo("default")
                .jsonPath("$.value.limits.messagesPerSecond").isEqualTo(0)
                .jsonPath("$.value.limits.messagesPerDay").isEqualTo(0)
                .jsonPath("$.value.callbackUrl").isEmpty();
    }

    @Test
    void invalidAppDocumentIsRejectedWithEveryFaultyMember() {
        WebTestClient.BodyContentSpec body = expectProblem(create("apps/broken", "{\"value\": {\"id\": \"other\", "
                + "\"key\": \" \", \"secrets\": [\"short\"], \"cell\": \"no cell!\", "
                + "\"limits\": {\"messagesPerSecond\": -1}, \"callbackUrl\": \"ftp://example.com/x\"}}"),
                HttpStatus.BAD_REQUEST, ProblemCode.INVALID_VALUE);
        List<String> fields = new ArrayList<>();
        body.jsonPath("$.errors[*].field").value(List.class, list -> list.forEach(f -> fields.add((String) f)));
        assertThat(fields).containsExactly("value.id", "value.key", "value.secrets[0]", "value.cell",
                "value.limits.messagesPerSecond", "value.callbackUrl");
        expectProblem(asAdmin().get().uri("/admin/v1/config/apps/broken").exchange(), HttpStatus.NOT_FOUND,
                ProblemCode.NOT_FOUND);
    }

    @Test
    void singleFaultIsTheDetail() {
        expectProblem(create("apps/shorty", "{\"value\": {\"id\": \"shorty\", \"key\": \"shorty-key\", "
                + "\"secrets\": [\"too-short\"]}}"), HttpStatus.BAD_REQUEST, ProblemCode.INVALID_VALUE)
                .jsonPath("$.detail").isEqualTo("value.secrets[0] must be 16 to 512 characters long, not 9.")
                .jsonPath("$.errors[0].field").isEqualTo("value.secrets[0]")
                .jsonPath("$.errors[0].code").isEqualTo("INVALID_VALUE");
        expectProblem(create("apps/three", "{\"value\": {\"id\": \"three\", \"key\": \"three-key\", \"secrets\": "
                + "[\"secret-one-0123456789\", \"secret-two-0123456789\", \"secret-three-0123456789\"]}}"),
                HttpStatus.BAD_REQUEST, ProblemCode.INVALID_VALUE)
                .jsonPath("$.errors[0].field").isEqualTo("value.secrets");
        expectProblem(create("apps/typo", "{\"value\": {\"id\": \"typo\", \"key\": \"typo-key\", "
                + "\"secret\": \"typo-secret-0123456789\"}}"), HttpStatus.BAD_REQUEST, ProblemCode.INVALID_VALUE)
                .jsonPath("$.errors[0].field").isEqualTo("value.secret");
    }

    @Test
    void appKeyOfAnotherAppIsRejected() {
        expectProblem(create("apps/copycat", app("copycat", "demo-key")), HttpStatus.BAD_REQUEST,
                ProblemCode.DUPLICATE_KEY)
                .jsonPath("$.errors[0].field").isEqualTo("value.key")
                .jsonPath("$.detail").value(String.class, d -> assertThat(d).contains("'demo'"));

        create("apps/honest", app("honest", "honest-key")).expectStatus().isCreated().expectBody();
        expectProblem(update("apps/honest", 0, appValue("honest", "demo-key")), HttpStatus.BAD_REQUEST,
                ProblemCode.DUPLICATE_KEY);
        // Its own key again is fine.
        update("apps/honest", 0, appValue("honest", "honest-key")).expectStatus().isOk().expectBody();
    }

    @Test
    void secretRotationKeepsTwoSecretsValidInBetween() {
        create("apps/rotating", app("rotating", "rotating-key")).expectStatus().isCreated().expectBody();
        update("apps/rotating", 0, "{\"id\": \"rotating\", \"key\": \"rotating-key\", \"secrets\": "
                + "[\"rotating-secret-0123456789\", \"rotating-secret-NEW-987654\"]}")
                .expectStatus().isOk().expectBody().jsonPath("$.value.secrets.length()").isEqualTo(2);
        update("apps/rotating", 1, "{\"id\": \"rotating\", \"key\": \"rotating-key\", \"secrets\": "
                + "[\"rotating-secret-NEW-987654\"]}")
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.version").isEqualTo(2)
                .jsonPath("$.value.secrets[0]").isEqualTo("rotating-secret-NEW-987654");
    }

    @Test
    void blacklistAcceptsAddressesAndRangesOnly() {
        expectProblem(putBlacklistAtCurrentVersion("[\"10.1.2.3\", \"evil.example.com\", \"10.0.0.0/33\", "
                + "\"2001:db8::/32\", 7]"), HttpStatus.BAD_REQUEST, ProblemCode.INVALID_VALUE)
                .jsonPath("$.errors.length()").isEqualTo(3)
                .jsonPath("$.errors[0].field").isEqualTo("value.entries[1]")
                .jsonPath("$.errors[1].field").isEqualTo("value.entries[2]")
                .jsonPath("$.errors[2].field").isEqualTo("value.entries[4]");

        putBlacklistAtCurrentVersion("[\"203.0.113.7\", \"192.168.0.0/16\", \"2001:db8::/32\", \"::1\"]")
                .expectStatus().isOk()
                .expectBody().jsonPath("$.value.entries.length()").isEqualTo(4);
    }

    @Test
    void invalidPathsAreRejected() {
        expectProblem(create("apps/demo/extra", "{\"value\": {}}"), HttpStatus.BAD_REQUEST, ProblemCode.INVALID_PATH)
                .jsonPath("$.errors[0].field").isEqualTo("path");
        expectProblem(create("apps", "{\"value\": {}}"), HttpStatus.BAD_REQUEST, ProblemCode.INVALID_PATH);
        expectProblem(create("a/b/c/d/e", "{\"value\": {}}"), HttpStatus.BAD_REQUEST, ProblemCode.INVALID_PATH);
        expectProblem(create("features/no%20spaces", "{\"value\": {}}"), HttpStatus.BAD_REQUEST,
                ProblemCode.INVALID_PATH);
        expectProblem(asAdmin().get().uri("/admin/v1/config/features/../apps").exchange(), HttpStatus.BAD_REQUEST,
                ProblemCode.INVALID_PATH);
        expectProblem(create("global/settings/inner", "{\"value\": {}}"), HttpStatus.BAD_REQUEST,
                ProblemCode.INVALID_PATH);
    }

    @Test
    void configNodesCannotHoldOtherNodes() {
        create("features/parent", "{\"value\": {}}").expectStatus().isCreated().expectBody();
        expectProblem(create("features/parent/child", "{\"value\": {}}"), HttpStatus.BAD_REQUEST,
                ProblemCode.INVALID_PATH)
                .jsonPath("$.detail").value(String.class, d -> assertThat(d).contains("'features/parent'"));
        // and a folder cannot become a node
        create("folders/a/leaf", "{\"value\": {}}").expectStatus().isCreated().expectBody();
        expectProblem(create("folders/a", "{\"value\": {}}"), HttpStatus.CONFLICT, ProblemCode.NODE_EXISTS);
    }

    @Test
    void requestMistakesAreProblems() {
        expectProblem(create("features/bad-json", "{\"value\": "), HttpStatus.BAD_REQUEST, ProblemCode.MALFORMED_REQUEST);
        expectProblem(create("features/not-object", "{\"value\": [1, 2]}"), HttpStatus.BAD_REQUEST,
                ProblemCode.INVALID_VALUE)
                .jsonPath("$.errors[0].field").isEqualTo("value");
        expectProblem(create("features/no-value", "{\"state\": \"online\"}"), HttpStatus.BAD_REQUEST,
                ProblemCode.INVALID_VALUE);
        expectProblem(create("features/bad-state", "{\"value\": {}, \"state\": \"ONLINE\"}"), HttpStatus.BAD_REQUEST,
                ProblemCode.INVALID_REQUEST);
        expectProblem(asAdmin().put().uri("/admin/v1/config/features/no-version")
                        .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"value\": {}}").exchange(),
                HttpStatus.BAD_REQUEST, ProblemCode.INVALID_REQUEST)
                .jsonPath("$.errors[0].field").isEqualTo("expectedVersion");
        expectProblem(asAdmin().post().uri("/admin/v1/config/features/text")
                        .contentType(MediaType.TEXT_PLAIN).bodyValue("hello").exchange(),
                HttpStatus.UNSUPPORTED_MEDIA_TYPE, ProblemCode.UNSUPPORTED_MEDIA_TYPE);
        expectProblem(asAdmin().patch().uri("/admin/v1/config/features/x").exchange(), HttpStatus.METHOD_NOT_ALLOWED,
                ProblemCode.METHOD_NOT_ALLOWED);
        expectProblem(asAdmin().get().uri("/admin/v1/nothing").exchange(), HttpStatus.NOT_FOUND, ProblemCode.NOT_FOUND);
    }

    @Test
    void missingOrWrongTokenIsUnauthorized() {
        for (WebTestClient client : List.of(web,
                web.mutate().defaultHeaders(h -> h.setBearerAuth("wrong-token-0123456789")).build(),
                web.mutate().defaultHeaders(h -> h.setBasicAuth("admin", ADMIN_TOKEN)).build())) {
            WebTestClient.ResponseSpec response = client.get().uri("/admin/v1/config").exchange();
            response.expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE, AdminTokenFilter.CHALLENGE);
            expectProblem(response, HttpStatus.UNAUTHORIZED, ProblemCode.UNAUTHORIZED);
        }
        expectProblem(web.post().uri("/admin/v1/config/features/sneaky").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"value\": {}}").exchange(), HttpStatus.UNAUTHORIZED, ProblemCode.UNAUTHORIZED);
        expectProblem(asAdmin().get().uri("/admin/v1/config/features/sneaky").exchange(), HttpStatus.NOT_FOUND,
                ProblemCode.NOT_FOUND);
    }

    @Test
    void znodeHoldsExactlyTheContractsEnvelope() throws Exception {
        create("apps/envelope", app("envelope", "envelope-key")).expectStatus().isCreated().expectBody();
        update("apps/envelope", 0, appValue("envelope", "envelope-key-2")).expectStatus().isOk().expectBody();

        JsonNode stored = JSON.readTree(curator.getData().forPath("/herald/config/apps/envelope"));
        assertThat(stored.propertyNames()).containsExactly("state", "updatedAt", "updatedBy", "value");
        assertThat(stored.get("state").stringValue()).isEqualTo("online");
        assertThat(Instant.parse(stored.get("updatedAt").stringValue())).isBefore(Instant.now().plusSeconds(1));
        assertThat(stored.get("updatedBy").stringValue()).isEqualTo("admin");
        assertThat(stored.get("value").propertyNames())
                .containsExactly("id", "name", "key", "secrets", "cell", "limits", "callbackUrl");
        assertThat(stored.get("value").get("key").stringValue()).isEqualTo("envelope-key-2");
        assertThat(curator.checkExists().forPath("/herald/config/apps/envelope").getVersion()).isEqualTo(1);

        JsonNode previous = JSON.readTree(curator.getData().forPath("/herald/history/apps/envelope/"
                + ConfigTree.historyEntryName(0)));
        assertThat(previous.propertyNames()).containsExactly("state", "updatedAt", "updatedBy", "value");
        assertThat(previous.get("value").get("key").stringValue()).isEqualTo("envelope-key");
        // Folders hold no data.
        assertThat(curator.getData().forPath("/herald/config/apps")).isEmpty();
    }

    private WebTestClient.ResponseSpec create(String path, String body) {
        return asAdmin().post().uri("/admin/v1/config/" + path).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body).exchange();
    }

    private WebTestClient.ResponseSpec update(String path, int expectedVersion, String value) {
        return asAdmin().put().uri("/admin/v1/config/" + path).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"expectedVersion\": " + expectedVersion + ", \"value\": " + value + "}").exchange();
    }

    private WebTestClient.ResponseSpec delete(String path, int expectedVersion) {
        return asAdmin().delete().uri("/admin/v1/config/" + path + "?expectedVersion=" + expectedVersion).exchange();
    }

    private WebTestClient.ResponseSpec setState(String path, String state, int expectedVersion) {
        return asAdmin().put().uri("/admin/v1/state/" + path).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"state\": \"" + state + "\", \"expectedVersion\": " + expectedVersion + "}").exchange();
    }

    private WebTestClient.ResponseSpec putBlacklistAtCurrentVersion(String entries) {
        Integer version = asAdmin().get().uri("/admin/v1/config/global/blacklist-ips").exchange()
                .expectStatus().isOk()
                .expectBody(ConfigNodeView.class).returnResult().getResponseBody().version();
        return update("global/blacklist-ips", version, "{\"entries\": " + entries + "}");
    }

    private static String app(String id, String key) {
        return "{\"value\": " + appValue(id, key) + "}";
    }

    private static String appValue(String id, String key) {
        return "{\"id\": \"" + id + "\", \"name\": \"" + id + "\", \"key\": \"" + key + "\", \"secrets\": [\"" + id
                + "-secret-0123456789\"], \"cell\": \"default\", \"limits\": {\"messagesPerSecond\": 0}, "
                + "\"callbackUrl\": null}";
    }

    private static ConfigPath path(String text) {
        return ConfigPath.parse(text).path();
    }

    static WebTestClient.BodyContentSpec expectProblem(WebTestClient.ResponseSpec response, HttpStatus status,
            ProblemCode code) {
        return response.expectStatus().isEqualTo(status)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.status").isEqualTo(status.value())
                .jsonPath("$.code").isEqualTo(code.name())
                .jsonPath("$.type").isEqualTo(code.type().toString())
                .jsonPath("$.title").isEqualTo(code.title())
                .jsonPath("$.detail").exists()
                .jsonPath("$.instance").exists()
                .jsonPath("$.trace").doesNotExist();
    }
}
