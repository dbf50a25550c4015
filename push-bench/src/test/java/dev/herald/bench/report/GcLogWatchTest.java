package dev.herald.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GcLogWatchTest {

    @TempDir
    Path dir;

    @Test
    void countsOnlyWhatTheLogGainedDuringTheRunWithZgcAndSafepointLines() throws Exception {
        Path log = dir.resolve("access-1-gc.log");
        Files.writeString(log, "[0.5s][gc,phases] GC(0) Y: Pause Mark Start 7.000ms\n");
        GcLogWatch watch = GcLogWatch.start(List.of(log));
        Files.writeString(log, """
                [1.1s][gc,phases] GC(1) Y: Pause Mark Start (Major) 0.013ms
                [1.2s][gc,phases] GC(1) Y: Concurrent Mark 12.500ms
                [1.3s][gc,phases] GC(1) Y: Pause Relocate Start 0.021ms
                [1.3s][safepoint] Safepoint "ZMarkEndYoung", Time since last: 1 ns, Reaching safepoint: 145703 ns, At safepoint: 30477 ns, Leaving safepoint: 3346 ns, Total: 179526 ns, Threads: 1 runnable, 10 total
                [1.4s][safepoint] Safepoint "Cleanup", Time since last: 1 ns, Reaching safepoint: 1 ns, At safepoint: 1 ns, Leaving safepoint: 1 ns, Total: 95739 ns, Threads: 0 runnable, 10 total
                """, StandardOpenOption.APPEND);

        GcLogWatch.GcPauses pauses = watch.finish().get(0);

        assertThat(pauses.pauses()).isEqualTo(2);
        assertThat(pauses.maxPauseMs()).isEqualTo(0.021);
        assertThat(pauses.safepoints()).isEqualTo(2);
        assertThat(pauses.maxSafepointMs()).isEqualTo(0.18);
        assertThat(pauses.longestSafepoint()).isEqualTo("ZMarkEndYoung");
        assertThat(pauses.oneLine()).contains("2 GC pauses, longest 0.021 ms");
    }

    @Test
    void readsG1PauseLinesAndReportsAMissingLogAsUnreadable() throws Exception {
        GcLogWatch.GcPauses g1 = GcLogWatch.summarise("g1.log", List.of(
                "[1.165s][gc       ] GC(0) Pause Young (Normal) (G1 Evacuation Pause) 6M->3M(64M) 9.609ms",
                "[1.551s][gc       ] GC(1) Pause Remark 7M->7M(64M) 1.250ms"));
        assertThat(g1.pauses()).isEqualTo(2);
        assertThat(g1.maxPauseMs()).isEqualTo(9.609);

        GcLogWatch.GcPauses missing = GcLogWatch.start(List.of(dir.resolve("nope.log"))).finish().get(0);
        assertThat(missing.error()).isNotNull();
        assertThat(missing.oneLine()).contains("unreadable");
    }
}
