package dev.herald.core.offline;

import java.util.List;

/**
 * The saver's internal HTTP API: every call carries a batch, so the dispatcher and the access nodes
 * make one request per batch of messages or devices, never one per message. Bodies are JSON; byte
 * arrays travel as base64.
 */
public final class OfflineApi {

    public static final String STORE_PATH = "/internal/v1/offline/store";
    public static final String FETCH_PATH = "/internal/v1/offline/fetch";
    public static final String ACK_PATH = "/internal/v1/offline/ack";

    private OfflineApi() {
    }

    /** One message to keep: for {@code devices} (unicast, multicast) or in the app's broadcast log. */
    public record StoreEntry(String messageId, String appId, boolean broadcast, List<String> devices,
                             byte[] payload, long expiresAt) {
        public StoreEntry {
            devices = devices == null ? List.of() : List.copyOf(devices);
        }
    }

    public record StoreRequest(List<StoreEntry> entries) {
        public StoreRequest {
            entries = List.copyOf(entries);
        }
    }

    /** {@code broadcastSeq} is the broadcast's position in its app's log, 0 for unicasts. */
    public record Stored(String messageId, long broadcastSeq) {
    }

    public record StoreResponse(List<Stored> stored) {
        public StoreResponse {
            stored = List.copyOf(stored);
        }
    }

    /** A device that just connected, with the broadcast cursor its client reported. */
    public record DeviceCursor(String appId, String deviceId, long cursor) {
    }

    public record FetchRequest(List<DeviceCursor> devices) {
        public FetchRequest {
            devices = List.copyOf(devices);
        }
    }

    /** A stored message as the saver hands it back, ready to become a PUSH frame. */
    public record OfflineMessage(String messageId, String appId, boolean broadcast, long broadcastSeq,
                                 byte[] payload, long expiresAt) {
    }

    /** What one device missed: pending unicasts and broadcasts after its cursor, oldest first. */
    public record Backlog(String appId, String deviceId, List<OfflineMessage> messages) {
        public Backlog {
            messages = List.copyOf(messages);
        }
    }

    public record FetchResponse(List<Backlog> backlogs) {
        public FetchResponse {
            backlogs = List.copyOf(backlogs);
        }
    }

    /** Acknowledged message ids of one device, and its newest broadcast seq (0 = unchanged). */
    public record DeviceAck(String appId, String deviceId, List<String> messageIds, long cursor) {
        public DeviceAck {
            messageIds = List.copyOf(messageIds);
        }
    }

    public record AckRequest(List<DeviceAck> acks) {
        public AckRequest {
            acks = List.copyOf(acks);
        }
    }
}
