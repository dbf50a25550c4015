package dev.herald.api.message;

import dev.herald.core.message.TargetKind;
import java.time.Duration;
import java.util.List;

/**
 * A send request that passed validation: targets normalised (deduplicated, empty for a broadcast),
 * payload decoded, defaults applied.
 */
public record OutgoingMessage(TargetKind kind, List<String> devices, byte[] payload, boolean offline, Duration ttl) {

    public OutgoingMessage {
        devices = List.copyOf(devices);
    }

    /** Devices the message is addressed to; 0 for a broadcast, whose audience is counted as it fans out. */
    public int targets() {
        return kind == TargetKind.BROADCAST ? 0 : devices.size();
    }
}
