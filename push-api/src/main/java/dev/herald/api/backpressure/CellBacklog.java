package dev.herald.api.backpressure;

/**
 * One measurement of a cell's intake backlog.
 *
 * @param entries    intake entries not yet dispatched (the dispatchers delete what they acknowledge, so
 *                   this is the stream's length)
 * @param ageMillis  age of the oldest of them when measured, 0 when there is none
 * @param measuredAt when it was measured (epoch ms)
 */
record CellBacklog(long entries, long ageMillis, long measuredAt) {

    static final CellBacklog EMPTY = new CellBacklog(0, 0, 0);

    /** Whether {@code more} new entries would take the backlog past a bound. */
    boolean full(long more, BacklogProperties limits) {
        return entries + more > limits.maxEntries() || ageMillis >= limits.maxAge().toMillis();
    }
}
