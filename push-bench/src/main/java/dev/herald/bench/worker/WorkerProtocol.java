package dev.herald.bench.worker;

/**
 * Lines between a parent and the worker processes it forked. The parent writes the task (one JSON
 * line) and later {@code finish} to the child's stdin; the child answers on stdout with lines that
 * start with {@link #PREFIX} (anything else it prints is passed on to the parent's stderr). A child
 * whose stdin closes (the parent died) closes its devices and exits.
 */
final class WorkerProtocol {

    static final String PREFIX = "@@bench ";
    static final String READY = "ready";
    static final String PROGRESS = "progress";
    static final String RESULT = "result";
    static final String ERROR = "error";
    static final String FINISH = "finish";

    private WorkerProtocol() {
    }

    static String line(String kind, String body) {
        return PREFIX + kind + " " + body;
    }
}
