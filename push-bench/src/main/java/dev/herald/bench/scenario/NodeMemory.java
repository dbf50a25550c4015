package dev.herald.bench.scenario;

import dev.herald.bench.report.Figures;

/**
 * The access node's memory before and after the devices connected. Per-connection figures divide by
 * the node's own connection gauge when it is readable (other clients may be connected too), else by
 * the devices this run connected. {@code live*} (class histogram after a full GC) needs the node's pid;
 * {@code heapUsed*} is the node's own gauge, which under ZGC moves in 2 MB pages.
 */
public record NodeMemory(Long heapUsedBeforeBytes, Long heapUsedAfterBytes, Long liveBeforeBytes, Long liveAfterBytes,
                         Long rssBeforeBytes, Long rssAfterBytes, Long nodeConnectionsBefore, Long nodeConnectionsAfter,
                         long connectionsCounted, Double heapUsedPerConnectionBytes, Double livePerConnectionBytes,
                         Double rssPerConnectionBytes) {

    static NodeMemory of(NodeProbe.Reading before, NodeProbe.Reading after, int connectedByRun) {
        long added = connectedByRun;
        if (before.connections() != null && after.connections() != null && after.connections() > before.connections()) {
            added = after.connections() - before.connections();
        }
        return new NodeMemory(before.heapUsedBytes(), after.heapUsedBytes(), before.liveHeapBytes(), after.liveHeapBytes(),
                before.rssBytes(), after.rssBytes(), before.connections(), after.connections(), added,
                perConnection(before.heapUsedBytes(), after.heapUsedBytes(), added),
                perConnection(before.liveHeapBytes(), after.liveHeapBytes(), added),
                perConnection(before.rssBytes(), after.rssBytes(), added));
    }

    private static Double perConnection(Long before, Long after, long connections) {
        if (before == null || after == null || connections <= 0) {
            return null;
        }
        return Figures.round((after - before) / (double) connections, 1);
    }

    String summary() {
        StringBuilder s = new StringBuilder("access node");
        if (nodeConnectionsAfter != null) {
            s.append(" holds ").append(nodeConnectionsAfter).append(" connections (was ").append(nodeConnectionsBefore).append(")");
        }
        append(s, "live heap", liveBeforeBytes, liveAfterBytes, livePerConnectionBytes);
        if (livePerConnectionBytes == null) {
            append(s, "heap used", heapUsedBeforeBytes, heapUsedAfterBytes, heapUsedPerConnectionBytes);
        }
        append(s, "RSS", rssBeforeBytes, rssAfterBytes, rssPerConnectionBytes);
        if (livePerConnectionBytes == null) {
            s.append(" (gauge only, no full GC: pass --node-pid for live bytes)");
        }
        return s.toString();
    }

    private static void append(StringBuilder s, String what, Long before, Long after, Double perConnection) {
        if (perConnection != null) {
            s.append("; ").append(what).append(' ').append(Figures.bytes(before)).append(" -> ")
                    .append(Figures.bytes(after)).append(" = ").append(Figures.bytes(perConnection)).append("/connection");
        }
    }
}
