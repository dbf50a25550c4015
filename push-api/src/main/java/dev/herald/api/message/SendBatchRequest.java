package dev.herald.api.message;

import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * Body of {@code POST /v1/apps/{appId}/messages/batch}: several messages, each as in a single send. An app
 * server that pushes many different messages (one per user, say) sends them in one request and the API
 * queues them in one pipelined Redis round instead of one HTTP exchange and one round each.
 */
@Schema(name = "SendBatchRequest", description = """
        Several messages to push, each exactly as the body of a single send. The batch is accepted whole or \
        refused whole: every fault of every message is listed, named by its index (`messages[3].deviceId`).""",
        requiredProperties = "messages")
public record SendBatchRequest(
        @ArraySchema(arraySchema = @Schema(description = """
                1..`herald.api.max-messages-per-batch` messages (500 by default), queued in this order."""),
                schema = @Schema(implementation = SendMessageRequest.class), minItems = 1)
        List<SendMessageRequest> messages) {
}
