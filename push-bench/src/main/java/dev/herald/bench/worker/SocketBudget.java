package dev.herald.bench.worker;

import dev.herald.bench.report.MachineFacts;

/**
 * One process holds about as many sockets as its open-files limit (≈19 000 usable of 20 000 here):
 * a split that cannot work is refused up front instead of failing thousands of connects.
 */
public final class SocketBudget {

    /** Files a worker process needs besides its device sockets (jars, epoll, pipes, Redis...). */
    static final int RESERVE = 1_000;

    private SocketBudget() {
    }

    /** @throws IllegalArgumentException when {@code devices} over {@code processes} do not fit */
    public static void check(int devices, int processes) {
        check(devices, processes, MachineFacts.current().openFilesLimit());
    }

    static void check(int devices, int processes, int openFilesLimit) {
        int perProcess = (devices + processes - 1) / Math.max(1, processes);
        int usable = openFilesLimit - RESERVE;
        if (openFilesLimit > 0 && perProcess > usable) {
            int needed = (devices + usable - 1) / Math.max(1, usable);
            throw new IllegalArgumentException(perProcess + " devices per process exceed what the open-files limit ("
                    + openFilesLimit + ") allows; use --processes " + needed + " or more, or raise the limit (ulimit -n)");
        }
    }
}
