package dev.herald.api.message;

import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/** Answer to an accepted batch: one entry per message, in the order of the request. */
@Schema(name = "BatchAccepted", description = "Every message of the batch was accepted for delivery.",
        requiredProperties = "messages")
public record BatchAccepted(
        @ArraySchema(arraySchema = @Schema(description = "The accepted messages, in the order of the request."),
                schema = @Schema(implementation = MessageAccepted.class))
        List<MessageAccepted> messages) {

    public BatchAccepted {
        messages = List.copyOf(messages);
    }
}
