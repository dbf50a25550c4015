package dev.herald.bench.report;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** Prints the one-line summaries and writes the JSON report. */
public final class ReportWriter {

    /** The JSON mapper used for every document push-bench writes or reads (reports, tasks, worker lines). */
    public static final JsonMapper JSON = JsonMapper.builder().build();

    private ReportWriter() {
    }

    public static void printSummary(Report report, PrintStream out) {
        for (Phase phase : report.phases()) {
            out.println(phase.line());
        }
    }

    public static String toJson(Report report, boolean pretty) {
        return pretty
                ? JSON.writer().with(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report)
                : JSON.writeValueAsString(report);
    }

    public static void write(Report report, Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(file, toJson(report, true) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write report " + file, e);
        }
    }
}
