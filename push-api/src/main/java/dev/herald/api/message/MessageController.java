package dev.herald.api.message;

import dev.herald.api.PushApiProperties;
import dev.herald.api.auth.AppAuthenticationFilter;
import dev.herald.api.backpressure.IntakeBacklog;
import dev.herald.api.limit.SendLimiter;
import dev.herald.api.problem.ProblemCode;
import dev.herald.core.app.App;
import dev.herald.web.problem.RejectedRequestException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/** Sending messages and reading their delivery status ({@link MessageApi} describes the routes). */
@RestController
public final class MessageController implements MessageApi {

    private final SendMessageValidator validator;
    private final MessageIntake intake;
    private final MessageStatusReader statuses;
    private final SendLimiter limiter;
    private final IntakeBacklog backlog;

    public MessageController(PushApiProperties properties, MessageIntake intake, MessageStatusReader statuses,
                             SendLimiter limiter, IntakeBacklog backlog) {
        this.validator = new SendMessageValidator(properties);
        this.intake = intake;
        this.statuses = statuses;
        this.limiter = limiter;
        this.backlog = backlog;
    }

    @Override
    public Mono<ResponseEntity<MessageAccepted>> send(String appId, String idempotencyKey, SendMessageRequest request,
                                                      ServerWebExchange exchange) {
        OutgoingMessage message = validator.validate(request, idempotencyKey);
        // The app as authenticated for this request: its cell picks the intake stream, its limits apply.
        App app = AppAuthenticationFilter.authenticatedApp(exchange);
        return backlog.admit(app, 1)
                .then(limiter.acquire(app))
                .then(Mono.defer(() -> intake.accept(app, message, idempotencyKey)))
                .map(acceptance -> {
                    String statusPath = statusPath(appId, acceptance.id());
                    ResponseEntity.BodyBuilder response =
                            ResponseEntity.status(HttpStatus.ACCEPTED).location(URI.create(statusPath));
                    if (acceptance.replayed()) {
                        response.header(IDEMPOTENT_REPLAYED, "true");
                    }
                    return response.body(new MessageAccepted(acceptance.id(), appId, statusPath));
                });
    }

    @Override
    public Mono<ResponseEntity<BatchAccepted>> sendBatch(String appId, String idempotencyKey, SendBatchRequest request,
                                                          ServerWebExchange exchange) {
        List<OutgoingMessage> messages = validator.validate(request, idempotencyKey);
        App app = AppAuthenticationFilter.authenticatedApp(exchange);
        // Every message of the batch counts against the app's limits; the batch passes whole or not at all.
        return backlog.admit(app, messages.size())
                .then(limiter.acquire(app, messages.size()))
                .then(Mono.defer(() -> intake.acceptBatch(app, messages, idempotencyKey)))
                .map(acceptance -> {
                    List<MessageAccepted> accepted = new ArrayList<>(acceptance.ids().size());
                    for (String id : acceptance.ids()) {
                        accepted.add(new MessageAccepted(id, appId, statusPath(appId, id)));
                    }
                    ResponseEntity.BodyBuilder response = ResponseEntity.status(HttpStatus.ACCEPTED);
                    if (acceptance.replayed()) {
                        response.header(IDEMPOTENT_REPLAYED, "true");
                    }
                    return response.body(new BatchAccepted(accepted));
                });
    }

    @Override
    public Mono<MessageStatusView> status(String appId, String messageId) {
        return statuses.find(appId, messageId)
                .switchIfEmpty(Mono.error(() -> RejectedRequestException.of(ProblemCode.NOT_FOUND,
                        "App '" + appId + "' has no message with this id (or its status has expired).")));
    }

    static String statusPath(String appId, String messageId) {
        return "/v1/apps/" + appId + "/messages/" + messageId;
    }
}
