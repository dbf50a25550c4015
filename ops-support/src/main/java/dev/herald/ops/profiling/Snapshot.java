package dev.herald.ops.profiling;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.regex.Pattern;

/**
 * One JFR snapshot in the history: the recording {@code <id>.jfr} and its summary {@code <id>.json}.
 *
 * @param id         {@code <UTC start, yyyyMMdd'T'HHmmssSSS'Z'>-<trigger>}, e.g. {@code 20261125T100000123Z-scheduled};
 *                   sorts by time
 * @param trigger    {@code scheduled} or {@code on-demand}
 * @param startedAt  when the recording started
 * @param endedAt    when it stopped
 * @param durationMillis how long it recorded
 * @param bytes      size of the {@code .jfr} file
 */
public record Snapshot(String id, String trigger, Instant startedAt, Instant endedAt, long durationMillis, long bytes) {

    public static final String SCHEDULED = "scheduled";
    public static final String ON_DEMAND = "on-demand";

    static final Pattern ID = Pattern.compile("[0-9]{8}T[0-9]{9}Z-(scheduled|on-demand)");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'")
            .withZone(ZoneOffset.UTC);

    static String id(Instant startedAt, String trigger) {
        return STAMP.format(startedAt) + "-" + trigger;
    }

    static boolean isId(String text) {
        return text != null && ID.matcher(text).matches();
    }

    static Snapshot of(String trigger, Instant startedAt, Instant endedAt, long bytes) {
        return new Snapshot(id(startedAt, trigger), trigger, startedAt, endedAt,
                endedAt.toEpochMilli() - startedAt.toEpochMilli(), bytes);
    }
}
