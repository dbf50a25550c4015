package dev.herald.bench.worker;

/**
 * How one broadcast reached the devices of one worker (or, merged, of the whole run).
 *
 * @param seq the message's number within the run
 * @param sentMicros when it was sent (from its payload), epoch micros
 * @param count devices that received it
 * @param firstMicros first receipt, epoch micros
 * @param lastMicros last receipt, epoch micros: "the time until the last device has it" is
 *        {@code lastMicros - sentMicros}
 */
public record MessageReceipt(int seq, long sentMicros, long count, long firstMicros, long lastMicros) {

    public MessageReceipt merge(MessageReceipt other) {
        return new MessageReceipt(seq, Math.min(sentMicros, other.sentMicros), count + other.count,
                Math.min(firstMicros, other.firstMicros), Math.max(lastMicros, other.lastMicros));
    }

    public long microsToLast() {
        return lastMicros - sentMicros;
    }
}
