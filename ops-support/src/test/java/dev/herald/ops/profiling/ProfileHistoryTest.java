package dev.herald.ops.profiling;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfileHistoryTest {

    @TempDir
    Path directory;

    private static ProfileSummary summary(Snapshot snapshot) {
        return new ProfileSummary(snapshot, 10, List.of(new ProfileSummary.MethodSamples("a.B.c", 10, 100)), 1024,
                List.of(), List.of(), new ProfileSummary.GcSummary(0, 0, 0, List.of()),
                new ProfileSummary.HeapAfterGc(0, 0, 0), new ProfileSummary.CpuLoad(1, 2), new ProfileSummary.Threads(3, 3));
    }

    /** Adds a snapshot whose recording has {@code bytes} bytes, started {@code second} seconds after a fixed time. */
    private static Snapshot add(ProfileHistory history, int second, int bytes) throws IOException {
        Instant start = Instant.parse("2026-11-25T10:00:00Z").plusSeconds(second);
        Snapshot snapshot = Snapshot.of(Snapshot.SCHEDULED, start, start.plusSeconds(1), bytes);
        Path part = history.partFile(snapshot.id());
        Files.write(part, new byte[bytes]);
        history.add(part, summary(snapshot));
        return snapshot;
    }

    @Test
    void theOldestSnapshotsLeaveWhenThereAreTooMany() throws IOException {
        ProfileHistory history = new ProfileHistory(directory, 2, 1_000_000);
        Snapshot first = add(history, 0, 100);
        Snapshot second = add(history, 1, 100);
        Snapshot third = add(history, 2, 100);

        assertThat(history.list()).containsExactly(third, second);
        assertThat(history.file(first.id())).isEmpty();
        assertThat(directory.resolve(first.id() + ".jfr")).doesNotExist();
        assertThat(directory.resolve(first.id() + ".json")).doesNotExist();
        assertThat(history.file(third.id())).contains(directory.resolve(third.id() + ".jfr"));
    }

    @Test
    void theOldestLeaveWhenTheBytesAreTooManyButTheNewestAlwaysStays() throws IOException {
        ProfileHistory history = new ProfileHistory(directory, 10, 250);
        add(history, 0, 100);
        Snapshot second = add(history, 1, 100);
        Snapshot third = add(history, 2, 100);
        assertThat(history.list()).containsExactly(third, second);

        Snapshot huge = add(history, 3, 1000);
        assertThat(history.list()).containsExactly(huge);
    }

    @Test
    void theHistoryIsReadBackAfterARestartAndLeftoversAreDeleted() throws IOException {
        ProfileHistory before = new ProfileHistory(directory, 5, 1_000_000);
        Snapshot kept = add(before, 0, 100);
        Files.write(directory.resolve("20261125T110000000Z-on-demand.jfr.part"), new byte[10]);
        Files.write(directory.resolve("20261125T120000000Z-on-demand.jfr"), new byte[10]);

        ProfileHistory after = new ProfileHistory(directory, 5, 1_000_000);

        assertThat(after.list()).containsExactly(kept);
        assertThat(after.summary(kept.id()).orElseThrow().topCpuMethods()).extracting(ProfileSummary.MethodSamples::method)
                .containsExactly("a.B.c");
        assertThat(directory.resolve("20261125T110000000Z-on-demand.jfr.part")).doesNotExist();
        assertThat(directory.resolve("20261125T120000000Z-on-demand.jfr")).doesNotExist();
    }

    @Test
    void idsAreTimestampsWithTheTriggerAndNothingElse() {
        assertThat(Snapshot.id(Instant.parse("2026-11-25T10:00:00.123Z"), Snapshot.ON_DEMAND))
                .isEqualTo("20261125T100000123Z-on-demand");
        assertThat(Snapshot.isId("20261125T100000123Z-scheduled")).isTrue();
        assertThat(Snapshot.isId("../20261125T100000123Z-scheduled")).isFalse();
        assertThat(Snapshot.isId("diff")).isFalse();
        assertThat(Snapshot.isId(null)).isFalse();
    }
}
