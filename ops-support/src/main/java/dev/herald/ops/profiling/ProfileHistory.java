package dev.herald.ops.profiling;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The snapshots kept on disk, in one directory per instance: {@code <id>.jfr} and its summary
 * {@code <id>.json}. Bounded by count and by bytes; the oldest go first, the newest is always kept. The
 * history survives restarts: it is read back from the directory at start-up (a recording without its
 * summary, left by a crash, is deleted).
 */
final class ProfileHistory {

    private static final Logger log = LoggerFactory.getLogger(ProfileHistory.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Path directory;
    private final int keep;
    private final long maxBytes;
    /** id → summary; ids sort by time. */
    private final TreeMap<String, ProfileSummary> snapshots = new TreeMap<>();

    ProfileHistory(Path directory, int keep, long maxBytes) {
        this.directory = directory;
        this.keep = keep;
        this.maxBytes = maxBytes;
        load();
    }

    Path directory() {
        return directory;
    }

    /** Where a recording in progress is dumped before {@link #add} moves it into the history. */
    Path partFile(String id) throws IOException {
        Files.createDirectories(directory);
        return directory.resolve(id + ".jfr.part");
    }

    private Path jfr(String id) {
        return directory.resolve(id + ".jfr");
    }

    private Path json(String id) {
        return directory.resolve(id + ".json");
    }

    private synchronized void load() {
        if (!Files.isDirectory(directory)) {
            return;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (name.endsWith(".json") && Snapshot.isId(name.substring(0, name.length() - 5))) {
                    readSummary(file);
                }
            }
            try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(directory, "*.jfr*")) {
                for (Path file : leftovers) {
                    String name = file.getFileName().toString();
                    String id = name.substring(0, name.indexOf(".jfr"));
                    if (!snapshots.containsKey(id)) {
                        log.warn("deleting {}: a recording without its summary (interrupted?)", file);
                        Files.deleteIfExists(file);
                    }
                }
            }
        } catch (IOException e) {
            log.warn("cannot read the profile history in {}: {}", directory, e.toString());
        }
        trim();
    }

    private void readSummary(Path file) throws IOException {
        try {
            ProfileSummary summary = JSON.readValue(file.toFile(), ProfileSummary.class);
            if (Files.exists(jfr(summary.snapshot().id()))) {
                snapshots.put(summary.snapshot().id(), summary);
            } else {
                Files.deleteIfExists(file);
            }
        } catch (JacksonException e) {
            log.warn("deleting {}: not a profile summary ({})", file, e.getOriginalMessage());
            Files.deleteIfExists(file);
        }
    }

    /** Moves the dumped recording into the history with its summary, then trims the history. */
    synchronized void add(Path part, ProfileSummary summary) throws IOException {
        String id = summary.snapshot().id();
        Files.move(part, jfr(id), StandardCopyOption.REPLACE_EXISTING);
        Path tmp = directory.resolve(id + ".json.part");
        JSON.writeValue(tmp.toFile(), summary);
        Files.move(tmp, json(id), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        snapshots.put(id, summary);
        trim();
    }

    private void trim() {
        long bytes = snapshots.values().stream().mapToLong(s -> s.snapshot().bytes()).sum();
        while (snapshots.size() > 1 && (snapshots.size() > keep || bytes > maxBytes)) {
            ProfileSummary oldest = snapshots.pollFirstEntry().getValue();
            bytes -= oldest.snapshot().bytes();
            try {
                Files.deleteIfExists(jfr(oldest.snapshot().id()));
                Files.deleteIfExists(json(oldest.snapshot().id()));
                log.debug("profile {} left the history", oldest.snapshot().id());
            } catch (IOException e) {
                log.warn("cannot delete profile {}: {}", oldest.snapshot().id(), e.toString());
            }
        }
    }

    /** Newest first. */
    synchronized List<Snapshot> list() {
        List<Snapshot> all = new ArrayList<>();
        for (ProfileSummary summary : snapshots.descendingMap().values()) {
            all.add(summary.snapshot());
        }
        return all;
    }

    synchronized Optional<ProfileSummary> summary(String id) {
        return Optional.ofNullable(snapshots.get(id));
    }

    /** The recording's file, while the snapshot is in the history. */
    synchronized Optional<Path> file(String id) {
        return snapshots.containsKey(id) ? Optional.of(jfr(id)) : Optional.empty();
    }
}
