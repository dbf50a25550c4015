package dev.herald.configserver.admin;

import io.swagger.v3.oas.annotations.media.Schema;

/** Body of {@code PUT /admin/v1/state/{path}}. */
@Schema(name = "StateChangeRequest", description = "Take a config node online or offline.")
public record StateChangeRequest(
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, allowableValues = {"online", "offline"},
                example = "offline")
        String state,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, minimum = "0", example = "2",
                description = "The version you read; a node at another version answers 409 and is not changed")
        Integer expectedVersion) {
}
