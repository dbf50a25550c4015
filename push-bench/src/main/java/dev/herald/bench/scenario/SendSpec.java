package dev.herald.bench.scenario;

/**
 * How messages are sent through push-api.
 *
 * @param api push-api base URL
 * @param key app key; the app secret of {@link DeviceSpec} signs the requests (or is the HTTP Basic password)
 * @param messages broadcast: messages to send
 * @param burst broadcast: send all at once instead of one after the other
 * @param warmup broadcast: messages sent (and awaited) first, not counted
 * @param rate unicast: messages per second, 0 = flat out (bounded by {@code concurrency})
 * @param durationSeconds unicast: how long to send
 * @param concurrency HTTP requests in flight at most
 * @param drainSeconds how long to wait for outstanding deliveries after the last send
 * @param batch unicast: messages per request; above 1 they go through {@code POST .../messages/batch}
 * @param auth how requests to push-api authenticate: signed (HMAC, the default) or HTTP Basic
 */
public record SendSpec(String api, String key, int messages, boolean burst, int warmup, int payloadBytes,
                       boolean offline, int ttlSeconds, double rate, double durationSeconds, int concurrency,
                       double drainSeconds, int batch, PushApiClient.Auth auth) {

    public SendSpec {
        batch = Math.max(1, batch); // absent in tasks from older coordinators
        auth = auth == null ? PushApiClient.Auth.SIGNED : auth; // likewise
    }
}
