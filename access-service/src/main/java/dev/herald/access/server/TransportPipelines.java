package dev.herald.access.server;

import dev.herald.access.AccessProperties;
import dev.herald.access.mqtt.MqttConnectionHandler;
import dev.herald.access.mqtt.MqttPackets;
import dev.herald.access.nativeprotocol.ConnectionHandler;
import dev.herald.access.session.ConnectionMeters;
import dev.herald.access.websocket.HttpNotFound;
import dev.herald.access.websocket.WebSocketFrames;
import dev.herald.protocol.FrameDecoder;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import org.springframework.stereotype.Component;

/**
 * The handlers of each transport, installed by the {@link ProtocolDetector} once the first bytes have
 * named the protocol. Codecs go where the detector was; the transport's session handler goes last, where it also hears the reader-idle events of
 * {@link dev.herald.access.session.ConnectionDeadlines}.
 *
 * <ul>
 *   <li>native: {@link FrameDecoder} → {@link ConnectionHandler} (which also encodes frames);</li>
 *   <li>WebSocket: {@link HttpServerCodec} → {@link HttpObjectAggregator} →
 *       {@link WebSocketServerProtocolHandler} ({@value #WEBSOCKET_PATH}, subprotocol
 *       {@value #WEBSOCKET_SUBPROTOCOL}) → {@link WebSocketFrameAggregator} → {@link HttpNotFound} →
 *       {@link WebSocketFrames} (one native frame per binary message) → {@link ConnectionHandler};</li>
 *   <li>MQTT: {@link MqttPackets} (whole packets within the limit) → {@link MqttDecoder} → {@link MqttEncoder} →
 *       {@link MqttConnectionHandler}.</li>
 * </ul>
 */
@Component
public final class TransportPipelines {

    public static final String WEBSOCKET_PATH = "/ws";
    public static final String WEBSOCKET_SUBPROTOCOL = "herald.v1";
    /** Largest HTTP upgrade request (headers) accepted. */
    private static final int MAX_HTTP_REQUEST_BYTES = 8192;

    private final AccessProperties properties;
    private final ConnectionHandler connectionHandler;
    private final MqttConnectionHandler mqttHandler;
    private final HttpNotFound httpNotFound;

    public TransportPipelines(AccessProperties properties, ConnectionHandler connectionHandler,
                              MqttConnectionHandler mqttHandler, ConnectionMeters metrics) {
        this.properties = properties;
        this.connectionHandler = connectionHandler;
        this.mqttHandler = mqttHandler;
        this.httpNotFound = new HttpNotFound(metrics);
    }

    void nativeFrames(ChannelPipeline pipeline, String after) {
        addAfter(pipeline, after,
                "herald.frameDecoder", new FrameDecoder(properties.maxFrameBytes()));
        addLast(pipeline, "herald.connection", connectionHandler);
    }

    void webSocket(ChannelPipeline pipeline, String after) {
        int max = properties.maxFrameBytes();
        WebSocketServerProtocolConfig config = WebSocketServerProtocolConfig.newBuilder()
                .websocketPath(WEBSOCKET_PATH)
                .subprotocols(WEBSOCKET_SUBPROTOCOL)
                .checkStartsWith(false)
                .allowExtensions(false)
                .maxFramePayloadLength(max)
                .handshakeTimeoutMillis(properties.handshakeTimeout().toMillis())
                .dropPongFrames(true)
                // No close frame of Netty's on every close: before the upgrade it went to the HTTP encoder,
                // which cannot write it (a failed write per refused HTTP request), and after a protocol
                // violation it followed the decoder's own close frame with a second one. Close frames come
                // from where the status is known: the frame decoder (1002, 1007, 1009) and WebSocketFrames
                // (1003); a session the server ends gets its native DISCONNECT, then the TCP close.
                .sendCloseFrame(null)
                // Text messages are refused with 1003 whatever they hold; Netty's UTF-8 validator closed
                // those with invalid UTF-8 first, and without a close frame.
                .withUTF8Validator(false)
                .build();
        addAfter(pipeline, after,
                "herald.httpCodec", new HttpServerCodec(),
                "herald.httpAggregator", new HttpObjectAggregator(MAX_HTTP_REQUEST_BYTES),
                "herald.webSocket", new WebSocketServerProtocolHandler(config),
                "herald.webSocketAggregator", new WebSocketFrameAggregator(max),
                "herald.httpNotFound", httpNotFound,
                "herald.webSocketFrames", WebSocketFrames.INSTANCE);
        addLast(pipeline, "herald.connection", connectionHandler);
    }

    void mqtt(ChannelPipeline pipeline, String after) {
        addAfter(pipeline, after,
                "herald.mqttPackets", new MqttPackets(properties.maxFrameBytes()),
                "herald.mqttDecoder", new MqttDecoder(properties.maxFrameBytes()),
                "herald.mqttEncoder", MqttEncoder.INSTANCE);
        addLast(pipeline, "herald.mqtt", mqttHandler);
    }

    /** Adds name/handler pairs in order right after {@code after}. */
    private static void addAfter(ChannelPipeline pipeline, String after, Object... namesAndHandlers) {
        String previous = after;
        for (int i = 0; i < namesAndHandlers.length; i += 2) {
            String name = (String) namesAndHandlers[i];
            pipeline.addAfter(previous, name, (ChannelHandler) namesAndHandlers[i + 1]);
            previous = name;
        }
    }

    /** Adds the session handler last. */
    private static void addLast(ChannelPipeline pipeline, String name, ChannelHandler handler) {
        pipeline.addLast(name, handler);
    }
}
