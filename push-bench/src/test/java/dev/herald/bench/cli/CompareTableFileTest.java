package dev.herald.bench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where {@code compare --out} puts the table: decided before the run, a directory included. */
class CompareTableFileTest {

    private static final LocalDateTime NOW = LocalDateTime.of(2026, 12, 7, 21, 5, 9);

    @Test
    void aDirectoryGetsATimestampedTableInside(@TempDir Path dir) {
        assertThat(CompareCommand.tableFile(dir, NOW)).isEqualTo(dir.resolve("push-bench-compare-20261207-210509.md"));
    }

    @Test
    void aFileIsUsedAsItIsAndNothingGivenMeansTheWorkingDirectory(@TempDir Path dir) {
        assertThat(CompareCommand.tableFile(dir.resolve("table.md"), NOW)).isEqualTo(dir.resolve("table.md"));
        assertThat(CompareCommand.tableFile(null, NOW)).isEqualTo(Path.of("push-bench-compare-20261207-210509.md"));
    }
}
