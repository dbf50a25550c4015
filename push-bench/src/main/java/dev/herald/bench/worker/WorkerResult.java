package dev.herald.bench.worker;

import java.util.ArrayList;
import java.util.List;

/** What one worker (a process or an agent) did in a run. {@code openAtEnd}: connections still open at the end. */
public record WorkerResult(String worker, int devices, ConnectStats connect, ReceiveStats receive, int openAtEnd) {

    /** One result for {@code worker} out of those of its parts (an agent's worker processes). */
    public static WorkerResult merge(String worker, int devices, List<WorkerResult> parts) {
        List<ConnectStats> connects = new ArrayList<>();
        List<ReceiveStats> receives = new ArrayList<>();
        int open = 0;
        for (WorkerResult p : parts) {
            connects.add(p.connect());
            receives.add(p.receive());
            open += p.openAtEnd();
        }
        return new WorkerResult(worker, devices, ConnectStats.merge(connects), ReceiveStats.merge(receives), open);
    }
}
