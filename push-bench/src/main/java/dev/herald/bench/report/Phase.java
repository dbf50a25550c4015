package dev.herald.bench.report;

/**
 * One phase of a run (connect, send, drain ...): its one-line summary and its figures (a record of
 * the scenario, written as a JSON object).
 */
public record Phase(String name, double seconds, String summary, Object figures) {

    /** {@code [connect] 10000/10000 connected ...}. */
    public String line() {
        return "[" + name + "] " + summary;
    }
}
