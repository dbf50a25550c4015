package dev.herald.dispatcher.uplink;

import dev.herald.core.app.App;
import dev.herald.core.app.CallbackSignature;
import dev.herald.core.message.UplinkMessage;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.timeout.ReadTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.TimeoutException;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.PrematureCloseException;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * POSTs one uplink to its app's callback URL, signed as {@link CallbackSignature} describes. Any 2xx
 * answer delivers it; anything else (another status, a connection failure, no answer within
 * {@code request-timeout}) is a failed attempt. Redirects are not followed. Connections come from the
 * pool {@code uplink-callbacks} (see {@code /actuator/pools}), which the context closes.
 */
final class CallbackClient {

    private static final int MAX_ERROR_CHARS = 300;

    private final JsonMapper json;
    private final Duration timeout;
    private final HttpClient http;

    /** @param pooled the client of the callbacks' connection pool */
    CallbackClient(JsonMapper json, Duration requestTimeout, HttpClient pooled) {
        this.json = json;
        this.timeout = requestTimeout;
        this.http = pooled
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, requestTimeout.toMillis()))
                .responseTimeout(requestTimeout)
                .followRedirect(false);
    }

    /** The callback body: {@code {"id","appId","deviceId","payload" (base64),"receivedAt" (ISO-8601)}}. */
    byte[] body(UplinkMessage message) {
        ObjectNode node = json.createObjectNode();
        node.put("id", message.id());
        node.put("appId", message.appId());
        node.put("deviceId", message.deviceId());
        node.put("payload", Base64.getEncoder().encodeToString(message.payload()));
        node.put("receivedAt", Instant.ofEpochMilli(message.receivedAt()).toString());
        return json.writeValueAsBytes(node);
    }

    /** Never fails: a failure is a {@link CallbackResult} with the reason. */
    Mono<CallbackResult> post(App app, UplinkMessage message) {
        return Mono.defer(() -> {
            byte[] body = body(message);
            long timestamp = Instant.now().getEpochSecond();
            String signature = CallbackSignature.sign(app.signingSecret(), timestamp, body);
            return http
                    .headers(h -> h.set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                            .set(CallbackSignature.TIMESTAMP_HEADER, Long.toString(timestamp))
                            .set(CallbackSignature.SIGNATURE_HEADER, signature))
                    .post()
                    .uri(app.callbackUrl())
                    .send(Mono.fromSupplier(() -> Unpooled.wrappedBuffer(body)))
                    // The body of the answer is not needed: drain it so the connection can be reused.
                    .response((response, content) -> content.then(Mono.just(response.status().code())))
                    .next()
                    .map(status -> status >= 200 && status < 300
                            ? CallbackResult.DELIVERED
                            : CallbackResult.failed("HTTP " + status));
        })
                // Safety net over responseTimeout, which starts only once the request is sent.
                .timeout(timeout.multipliedBy(2))
                .onErrorResume(e -> Mono.just(CallbackResult.failed(describe(e))))
                .defaultIfEmpty(CallbackResult.failed("no response"));
    }

    private String describe(Throwable e) {
        String text;
        if (e instanceof ReadTimeoutException || e instanceof TimeoutException) {
            text = "no response within " + timeout;
        } else if (e instanceof PrematureCloseException) {
            text = "connection closed before the response";
        } else {
            text = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        }
        return text.length() > MAX_ERROR_CHARS ? text.substring(0, MAX_ERROR_CHARS) : text;
    }
}
