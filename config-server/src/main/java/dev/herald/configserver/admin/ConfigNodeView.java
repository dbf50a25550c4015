package dev.herald.configserver.admin;

import dev.herald.configserver.tree.ConfigNode;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.temporal.ChronoUnit;
import tools.jackson.databind.JsonNode;

/** A config node with its value, as the admin API shows it. */
@Schema(name = "ConfigNode", description = "A config node: its document and ZooKeeper version.")
public record ConfigNodeView(
        @Schema(description = "Path below `<root>/config`", example = "apps/demo")
        String path,
        @Schema(description = "ZooKeeper version: 0 after creation, +1 per change. Send it as `expectedVersion` to "
                + "change or delete the node.", example = "0")
        int version,
        @Schema(description = "Services apply only `online` nodes", allowableValues = {"online", "offline"},
                example = "online")
        String state,
        @Schema(description = "When the document was written (ISO-8601, UTC)", example = "2026-11-25T10:00:00Z")
        String updatedAt,
        @Schema(description = "Who wrote it: the `X-Herald-Operator` header, else `admin`", example = "admin")
        String updatedBy,
        @Schema(types = "object", description = "The node's value (an app, the blacklist, or any JSON object)",
                example = """
                        {"id": "demo", "name": "Demo", "key": "demo-key", "secrets": ["demo-secret-0123456789"], \
                        "cell": "default", "limits": {"messagesPerSecond": 0, "messagesPerDay": 0}, "callbackUrl": null}""")
        JsonNode value) {

    static ConfigNodeView of(ConfigNode node) {
        return new ConfigNodeView(node.path().value(), node.version(), node.document().state().text(),
                node.document().updatedAt().truncatedTo(ChronoUnit.MILLIS).toString(), node.document().updatedBy(),
                node.document().value());
    }
}
