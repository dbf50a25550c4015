package dev.herald.configserver.admin;

import dev.herald.configserver.tree.HistoryEntry;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.temporal.ChronoUnit;
import tools.jackson.databind.JsonNode;

/** A previous document of a config node. */
@Schema(name = "HistoryEntry", description = "A config node's document as it was at `version`.")
public record HistoryEntryView(
        @Schema(description = "The version the node had with this document", example = "2")
        int version,
        @Schema(allowableValues = {"online", "offline"}, example = "online")
        String state,
        @Schema(description = "When this document was written (ISO-8601, UTC)", example = "2026-11-24T09:30:00Z")
        String updatedAt,
        @Schema(description = "Who wrote this document", example = "admin")
        String updatedBy,
        @Schema(types = "object", description = "The value at that version", example = "{\"entries\": []}")
        JsonNode value) {

    static HistoryEntryView of(HistoryEntry entry) {
        return new HistoryEntryView(entry.version(), entry.document().state().text(),
                entry.document().updatedAt().truncatedTo(ChronoUnit.MILLIS).toString(), entry.document().updatedBy(),
                entry.document().value());
    }
}
