package dev.herald.saver.api;

import dev.herald.core.app.Ids;
import dev.herald.core.offline.OfflineApi.AckRequest;
import dev.herald.core.offline.OfflineApi.DeviceAck;
import dev.herald.core.offline.OfflineApi.DeviceCursor;
import dev.herald.core.offline.OfflineApi.FetchRequest;
import dev.herald.core.offline.OfflineApi.StoreEntry;
import dev.herald.core.offline.OfflineApi.StoreRequest;
import dev.herald.protocol.MessageId;
import dev.herald.saver.SaverProperties;
import dev.herald.web.problem.Problems;
import dev.herald.web.problem.RejectedRequestException;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * Checks a batch before any of it reaches Redis: a batch is applied whole or refused whole, and
 * every id ends up inside a Redis key, so its shape must be right. Sizes are bounded so one request
 * cannot monopolise the service.
 */
@Component
final class RequestChecks {

    /** Reporting every bad element of a 10 000-entry batch helps nobody. */
    private static final int MAX_REPORTED = 10;

    private final SaverProperties properties;

    RequestChecks(SaverProperties properties) {
        this.properties = properties;
    }

    void check(StoreRequest request) {
        List<StoreEntry> entries = request.entries();
        requireBatchSize("entries", entries.size());
        long targets = entries.stream().mapToLong(e -> e.devices().size()).sum();
        requireTargets("device targets", targets);
        Errors errors = new Errors();
        for (int i = 0; i < entries.size(); i++) {
            StoreEntry e = entries.get(i);
            String at = "entries[" + i + "]";
            errors.requireMessageId(at + ".messageId", e.messageId());
            errors.requireAppId(at + ".appId", e.appId());
            errors.require(e.payload() != null, at + ".payload: is required");
            errors.require(e.expiresAt() > 0, at + ".expiresAt: must be epoch milliseconds");
            if (!e.broadcast()) {
                errors.require(!e.devices().isEmpty(), at + ".devices: a unicast needs at least one device");
                for (int d = 0; d < e.devices().size(); d++) {
                    errors.requireDeviceId(at + ".devices[" + d + "]", e.devices().get(d));
                }
            }
        }
        errors.throwIfAny();
    }

    void check(FetchRequest request) {
        List<DeviceCursor> devices = request.devices();
        requireBatchSize("devices", devices.size());
        Errors errors = new Errors();
        for (int i = 0; i < devices.size(); i++) {
            DeviceCursor d = devices.get(i);
            String at = "devices[" + i + "]";
            errors.requireAppId(at + ".appId", d.appId());
            errors.requireDeviceId(at + ".deviceId", d.deviceId());
            errors.require(d.cursor() >= 0, at + ".cursor: must not be negative");
        }
        errors.throwIfAny();
    }

    void check(AckRequest request) {
        List<DeviceAck> acks = request.acks();
        requireBatchSize("acks", acks.size());
        requireTargets("acknowledged ids", acks.stream().mapToLong(a -> a.messageIds().size()).sum());
        Errors errors = new Errors();
        for (int i = 0; i < acks.size(); i++) {
            DeviceAck a = acks.get(i);
            String at = "acks[" + i + "]";
            errors.requireAppId(at + ".appId", a.appId());
            errors.requireDeviceId(at + ".deviceId", a.deviceId());
            errors.require(a.cursor() >= 0, at + ".cursor: must not be negative");
            for (int m = 0; m < a.messageIds().size(); m++) {
                errors.requireMessageId(at + ".messageIds[" + m + "]", a.messageIds().get(m));
            }
        }
        errors.throwIfAny();
    }

    private void requireBatchSize(String what, int size) {
        if (size > properties.maxBatchSize()) {
            throw RejectedRequestException.of(ProblemCode.REQUEST_TOO_LARGE,
                    "A batch holds at most " + properties.maxBatchSize() + " " + what + ", this one " + size
                            + "; split it.");
        }
    }

    private void requireTargets(String what, long count) {
        if (count > properties.maxTargetsPerRequest()) {
            throw RejectedRequestException.of(ProblemCode.REQUEST_TOO_LARGE,
                    "A batch holds at most " + properties.maxTargetsPerRequest() + " " + what + ", this one "
                            + count + "; split it.");
        }
    }

    /** The violations found in one request, reported together. */
    private static final class Errors {

        private final List<String> found = new ArrayList<>();
        private int count;

        void require(boolean ok, String message) {
            if (!ok) {
                count++;
                if (found.size() < MAX_REPORTED) {
                    found.add(message);
                }
            }
        }

        void requireMessageId(String field, String value) {
            require(MessageId.isValid(value), field + ": must be a 26-character message id");
        }

        void requireAppId(String field, String value) {
            require(Ids.isAppId(value), field + ": must match " + Ids.APP_ID_PATTERN);
        }

        void requireDeviceId(String field, String value) {
            require(Ids.isDeviceId(value), field + ": must match " + Ids.DEVICE_ID_PATTERN);
        }

        void throwIfAny() {
            if (count > 0) {
                String detail = count == 1 ? found.get(0)
                        : count + " invalid fields, first: " + found.get(0);
                throw new RejectedRequestException(Problems.of(ProblemCode.INVALID_REQUEST, detail, found));
            }
        }
    }
}
