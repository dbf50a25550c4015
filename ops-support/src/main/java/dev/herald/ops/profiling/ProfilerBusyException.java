package dev.herald.ops.profiling;

/** A snapshot was asked for while another one is recording: one at a time. */
public final class ProfilerBusyException extends RuntimeException {

    private final String recordingId;

    ProfilerBusyException(String recordingId) {
        super("snapshot " + recordingId + " is recording; one snapshot at a time");
        this.recordingId = recordingId;
    }

    public String recordingId() {
        return recordingId;
    }
}
