package dev.herald.configserver.admin;

import io.swagger.v3.oas.annotations.media.Schema;
import tools.jackson.databind.JsonNode;

/** Body of {@code PUT /admin/v1/config/{path}}. */
@Schema(name = "UpdateNodeRequest", description = "A new value for an existing config node.")
public record UpdateNodeRequest(
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, minimum = "0", example = "0",
                description = "The version you read; a node at another version answers 409 and is not changed")
        Integer expectedVersion,
        @Schema(types = "object", requiredMode = Schema.RequiredMode.REQUIRED,
                description = "The complete new value (not a patch)")
        JsonNode value,
        @Schema(allowableValues = {"online", "offline"},
                description = "New state; left out, the node keeps its current state")
        String state) {
}
