package dev.herald.bench.scenario;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Base64;

/**
 * One message as push-api's {@code POST /v1/apps/{app}/messages} takes it (and as an element of
 * {@code .../messages/batch}): to one device or to every device of the app, payload in base64. The target
 * not taken is left out of the JSON, so a unicast reads {@code {"deviceId":..,"base64":..,"offline":..,
 * "ttlSeconds":..}} and a broadcast {@code {"broadcast":true,"base64":..,...}}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PushMessage(String deviceId, Boolean broadcast, String base64, boolean offline, int ttlSeconds) {

    public static PushMessage unicast(String deviceId, byte[] payload, boolean offline, int ttlSeconds) {
        return new PushMessage(deviceId, null, Base64.getEncoder().encodeToString(payload), offline, ttlSeconds);
    }

    public static PushMessage broadcast(byte[] payload, boolean offline, int ttlSeconds) {
        return new PushMessage(null, true, Base64.getEncoder().encodeToString(payload), offline, ttlSeconds);
    }
}
