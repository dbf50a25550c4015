package dev.herald.access.uplink;

import dev.herald.access.AccessProperties;
import dev.herald.access.session.Session;
import dev.herald.core.app.App;
import dev.herald.core.app.AppDirectory;
import dev.herald.core.message.UplinkMessage;
import dev.herald.core.redis.RedisKeys;
import dev.herald.protocol.MessageId;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.connection.stream.StreamRecords;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Takes a device's uplink, whatever transport carried it: checks it (the app is logged in on the
 * connection, the payload is not empty), appends it to the stream of the app's cell
 * ({@code XADD h:uplink:{cell} * d <UplinkMessage JSON>}, one pipelined command, never awaited on the
 * event loop) and completes with the message id once Redis has it, so the transport acknowledges only
 * what is stored. The dispatcher's callback worker delivers it from there.
 *
 * <p>Whether the app has a callback URL is not checked here: the callback worker decides that, at delivery
 * time, and dead-letters the uplink of an app without one at once (0 attempts). One place for the decision,
 * the app's config at the moment of delivery, and a device that sent a valid uplink is never refused (MQTT
 * 3.1.1 could only refuse it by dropping the connection).
 */
@Component
public final class UplinkIntake {

    private static final Logger log = LoggerFactory.getLogger(UplinkIntake.class);

    private final AppDirectory apps;
    private final ReactiveStringRedisTemplate redis;
    private final JsonMapper json;
    private final MeterRegistry meters;
    private final String nodeId;

    public UplinkIntake(AppDirectory apps, ReactiveStringRedisTemplate redis, JsonMapper json, MeterRegistry meters,
                        AccessProperties properties) {
        this.apps = apps;
        this.redis = redis;
        this.json = json;
        this.meters = meters;
        this.nodeId = properties.nodeId();
    }

    /** Why an uplink was refused; the message is meant for the device. */
    public static final class Rejected extends RuntimeException {
        Rejected(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * @return completes with the assigned id once stored; exceptionally with {@link Rejected} when the
     *         uplink is refused, or with the Redis error when it could not be stored
     */
    public CompletableFuture<MessageId> accept(Session session, String appId, byte[] payload) {
        String refusal = refusal(session, appId, payload);
        if (refusal != null) {
            counted("rejected");
            log.debug("uplink of {} for app {} refused: {}", session, appId, refusal);
            return CompletableFuture.failedFuture(new Rejected(refusal));
        }
        App app = apps.find(appId).orElseThrow();
        MessageId id = MessageId.generate();
        UplinkMessage message = new UplinkMessage(id.toString(), appId, session.deviceId(), payload,
                System.currentTimeMillis(), nodeId);
        String document = json.writeValueAsString(message);
        return redis.opsForStream()
                .add(StreamRecords.string(Map.of(RedisKeys.STREAM_FIELD, document)).withStreamKey(RedisKeys.uplink(app.cell())))
                .map(recordId -> id)
                .doOnSuccess(stored -> counted("accepted"))
                .doOnError(error -> {
                    counted("failed");
                    log.warn("uplink {} of app {} could not be stored: {}", id, appId, error.toString());
                })
                .toFuture();
    }

    /** {@code herald.access.uplinks{result}}: accepted (stored), rejected (refused), failed (Redis error). */
    private void counted(String result) {
        Counter.builder("herald.access.uplinks")
                .description("Uplink messages from devices, by result")
                .tag("result", result)
                .register(meters)
                .increment();
    }

    private String refusal(Session session, String appId, byte[] payload) {
        if (!session.appIds().contains(appId)) {
            return "app " + appId + " is not logged in on this connection";
        }
        if (payload == null || payload.length == 0) {
            return "the payload is empty";
        }
        if (apps.find(appId).isEmpty()) {
            return "unknown app " + appId;
        }
        return null;
    }
}
