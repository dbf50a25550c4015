package dev.herald.api.message;

import dev.herald.api.PushApiProperties;
import dev.herald.api.problem.FieldProblem;
import dev.herald.api.problem.ProblemCode;
import dev.herald.core.app.Ids;
import dev.herald.core.message.TargetKind;
import dev.herald.web.problem.RejectedRequestException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a {@link SendMessageRequest} against the API's rules and limits and turns it into an
 * {@link OutgoingMessage}. Collects every fault before rejecting, so a client fixes all of them in one
 * round trip.
 */
public final class SendMessageValidator {

    /** Header that makes a send safe to retry. */
    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    static final Pattern IDEMPOTENCY_KEY_PATTERN = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    static final String EMPTY_PAYLOAD = "The payload is empty: set 'text' to a non-empty string or 'base64' to "
            + "non-empty base64 data.";
    /** Device ids listed in one detail at most; the errors list names each one. */
    private static final int MAX_IDS_IN_ERRORS = 10;
    /** Faults listed for one batch at most, so a batch of broken messages gets a readable answer. */
    private static final int MAX_BATCH_ERRORS = 50;

    private final int maxPayloadBytes;
    private final int maxDevices;
    private final Duration defaultTtl;
    private final Duration maxTtl;
    private final int maxBatch;

    public SendMessageValidator(PushApiProperties properties) {
        this.maxPayloadBytes = properties.maxPayloadBytes();
        this.maxDevices = properties.maxDevicesPerRequest();
        this.defaultTtl = properties.defaultTtl();
        this.maxTtl = properties.maxTtl();
        this.maxBatch = properties.maxMessagesPerBatch();
    }

    /** @throws RejectedRequestException listing every fault of the request */
    public OutgoingMessage validate(SendMessageRequest request, String idempotencyKey) {
        List<FieldProblem> errors = new ArrayList<>();
        checkIdempotencyKey(idempotencyKey, errors);
        OutgoingMessage message = check(request, errors);
        if (!errors.isEmpty()) {
            throw FieldProblem.rejection(errors);
        }
        return message;
    }

    /**
     * Checks every message of a batch; the batch is accepted whole or refused whole, with each fault named
     * by its message's index ({@code messages[3].deviceId}).
     *
     * @throws RejectedRequestException listing every fault of every message
     */
    public List<OutgoingMessage> validate(SendBatchRequest batch, String idempotencyKey) {
        List<FieldProblem> errors = new ArrayList<>();
        checkIdempotencyKey(idempotencyKey, errors);
        List<SendMessageRequest> requests = batch.messages();
        if (requests == null || requests.isEmpty()) {
            errors.add(invalid("messages", "'messages' is empty: list 1.." + maxBatch + " messages."));
            throw FieldProblem.rejection(errors);
        }
        if (requests.size() > maxBatch) {
            errors.add(invalid("messages", "'messages' has " + requests.size() + " entries; at most " + maxBatch
                    + " are allowed per batch."));
            throw FieldProblem.rejection(errors);
        }
        List<OutgoingMessage> messages = new ArrayList<>(requests.size());
        for (int i = 0; i < requests.size() && errors.size() < MAX_BATCH_ERRORS; i++) {
            String prefix = "messages[" + i + "]";
            SendMessageRequest request = requests.get(i);
            if (request == null) {
                errors.add(invalid(prefix, prefix + " is null: give a message object."));
                continue;
            }
            List<FieldProblem> own = new ArrayList<>();
            OutgoingMessage message = check(request, own);
            for (FieldProblem problem : own) {
                errors.add(new FieldProblem(prefix + "." + problem.field(), problem.code(),
                        prefix + ": " + problem.message()));
            }
            messages.add(message);
        }
        if (!errors.isEmpty()) {
            throw FieldProblem.rejection(errors);
        }
        return messages;
    }

    private static void checkIdempotencyKey(String idempotencyKey, List<FieldProblem> errors) {
        if (idempotencyKey != null && !IDEMPOTENCY_KEY_PATTERN.matcher(idempotencyKey).matches()) {
            errors.add(invalid(IDEMPOTENCY_KEY, "The Idempotency-Key header must be 1..128 characters of "
                    + "[A-Za-z0-9._:-]."));
        }
    }

    /** The message, or {@code null} with its faults added to {@code errors}. */
    private OutgoingMessage check(SendMessageRequest request, List<FieldProblem> errors) {
        int before = errors.size();
        Target target = target(request, errors);
        byte[] payload = payload(request, errors);
        Duration ttl = ttl(request.ttlSeconds(), errors);
        if (errors.size() > before) {
            return null;
        }
        boolean offline = request.offline() == null || request.offline();
        return new OutgoingMessage(target.kind(), target.devices(), payload, offline, ttl);
    }

    private record Target(TargetKind kind, List<String> devices) {
    }

    private Target target(SendMessageRequest request, List<FieldProblem> errors) {
        boolean broadcast = Boolean.TRUE.equals(request.broadcast());
        int given = (request.deviceId() != null ? 1 : 0) + (request.deviceIds() != null ? 1 : 0) + (broadcast ? 1 : 0);
        if (given == 0) {
            errors.add(invalid("target", "The message has no target: set exactly one of 'deviceId', "
                    + "'deviceIds' or 'broadcast: true'."));
            return new Target(TargetKind.DEVICE, List.of());
        }
        if (given > 1) {
            errors.add(invalid("target", "The message has more than one target: set exactly one of "
                    + "'deviceId', 'deviceIds' or 'broadcast: true'."));
            return new Target(TargetKind.DEVICE, List.of());
        }
        if (broadcast) {
            return new Target(TargetKind.BROADCAST, List.of());
        }
        if (request.deviceId() != null) {
            if (!Ids.isDeviceId(request.deviceId())) {
                errors.add(invalid("deviceId", badDeviceId(request.deviceId())));
            }
            return new Target(TargetKind.DEVICE, List.of(request.deviceId()));
        }
        List<String> ids = request.deviceIds();
        if (ids.isEmpty()) {
            errors.add(invalid("deviceIds", "'deviceIds' is empty: list 1.." + maxDevices + " device ids."));
        } else if (ids.size() > maxDevices) {
            errors.add(invalid("deviceIds", "'deviceIds' has " + ids.size() + " entries; at most " + maxDevices
                    + " are allowed per request."));
        } else {
            int reported = 0;
            for (int i = 0; i < ids.size() && reported < MAX_IDS_IN_ERRORS; i++) {
                if (!Ids.isDeviceId(ids.get(i))) {
                    errors.add(invalid("deviceIds[" + i + "]", badDeviceId(ids.get(i))));
                    reported++;
                }
            }
        }
        Set<String> unique = new LinkedHashSet<>();
        for (String id : ids) {
            if (id != null) {
                unique.add(id);
            }
        }
        return new Target(TargetKind.DEVICES, List.copyOf(unique));
    }

    private byte[] payload(SendMessageRequest request, List<FieldProblem> errors) {
        if (request.text() != null && request.base64() != null) {
            errors.add(invalid("payload", "The message has two payloads: set either 'text' or 'base64', not both."));
            return new byte[0];
        }
        byte[] payload;
        String field;
        if (request.base64() != null) {
            field = "base64";
            try {
                payload = Base64.getDecoder().decode(request.base64());
            } catch (IllegalArgumentException e) {
                errors.add(new FieldProblem(field, ProblemCode.INVALID_PAYLOAD,
                        "'base64' is not valid standard base64 (RFC 4648 §4: A-Z a-z 0-9 + /, optional = padding, "
                                + "no line breaks)."));
                return new byte[0];
            }
        } else {
            field = request.text() == null ? "payload" : "text";
            payload = utf8(request.text() == null ? "" : request.text());
            if (payload == null) {
                errors.add(new FieldProblem(field, ProblemCode.INVALID_PAYLOAD,
                        "'text' is not valid Unicode: it holds an unpaired surrogate."));
                return new byte[0];
            }
        }
        if (payload.length == 0) {
            errors.add(new FieldProblem(field, ProblemCode.EMPTY_PAYLOAD, EMPTY_PAYLOAD));
        } else if (payload.length > maxPayloadBytes) {
            errors.add(new FieldProblem(field, ProblemCode.PAYLOAD_TOO_LARGE, "The payload is " + payload.length
                    + " bytes; the limit is " + maxPayloadBytes + " bytes."));
        }
        return payload;
    }

    private Duration ttl(Long ttlSeconds, List<FieldProblem> errors) {
        if (ttlSeconds == null) {
            return defaultTtl;
        }
        if (ttlSeconds < 1 || ttlSeconds > maxTtl.toSeconds()) {
            errors.add(invalid("ttlSeconds", "'ttlSeconds' must be between 1 and " + maxTtl.toSeconds()
                    + " seconds; it is " + ttlSeconds + "."));
            return defaultTtl;
        }
        return Duration.ofSeconds(ttlSeconds);
    }

    /** Strict UTF-8 encoding; {@code null} when the string holds an unpaired surrogate. */
    private static byte[] utf8(String text) {
        try {
            ByteBuffer encoded = StandardCharsets.UTF_8.newEncoder().encode(CharBuffer.wrap(text));
            byte[] bytes = new byte[encoded.remaining()];
            encoded.get(bytes);
            return bytes;
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static String badDeviceId(String id) {
        String shown = id == null ? "null" : "'" + (id.length() > 40 ? id.substring(0, 40) + "…" : id) + "'";
        return shown + " is not a valid device id: use 1..128 characters of [A-Za-z0-9._:@-].";
    }

    private static FieldProblem invalid(String field, String message) {
        return new FieldProblem(field, ProblemCode.INVALID_REQUEST, message);
    }
}
