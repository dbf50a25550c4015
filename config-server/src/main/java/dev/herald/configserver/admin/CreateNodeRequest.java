package dev.herald.configserver.admin;

import io.swagger.v3.oas.annotations.media.Schema;
import tools.jackson.databind.JsonNode;

/** Body of {@code POST /admin/v1/config/{path}}. */
@Schema(name = "CreateNodeRequest", description = "A new config node.")
public record CreateNodeRequest(
        @Schema(types = "object", requiredMode = Schema.RequiredMode.REQUIRED,
                description = "The node's value: a JSON object whose schema depends on the path (see the operation)")
        JsonNode value,
        @Schema(allowableValues = {"online", "offline"}, defaultValue = "online",
                description = "`offline` creates the node without services applying it yet")
        String state) {
}
