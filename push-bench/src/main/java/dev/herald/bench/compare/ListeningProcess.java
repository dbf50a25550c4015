package dev.herald.bench.compare;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Which process on this machine listens on a TCP port (Linux): the socket's inode from {@code /proc/net/tcp}
 * and {@code tcp6}, then the process holding {@code socket:[inode]} among its file descriptors. Finds the
 * access nodes' pids from the addresses devices connect to, whatever port offset the suite runs with. Only
 * processes whose descriptors this user may read are found.
 */
final class ListeningProcess {

    private static final String LISTEN = "0A";

    private ListeningProcess() {
    }

    static OptionalLong on(int port) {
        Set<Long> inodes = new HashSet<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            try {
                inodes.addAll(listeningInodes(Files.readAllLines(Path.of(table)), port));
            } catch (IOException | RuntimeException e) {
                // no such table (IPv6 off, not Linux)
            }
        }
        if (inodes.isEmpty()) {
            return OptionalLong.empty();
        }
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path proc : procs) {
                if (holdsAny(proc.resolve("fd"), inodes)) {
                    return OptionalLong.of(Long.parseLong(proc.getFileName().toString()));
                }
            }
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
        return OptionalLong.empty();
    }

    /**
     * Inodes of the sockets listening on {@code port} in a {@code /proc/net/tcp} table
     * ({@code sl local_address rem_address st ... uid timeout inode ...}, addresses as hex {@code ADDR:PORT}).
     */
    static Set<Long> listeningInodes(List<String> table, int port) {
        Set<Long> inodes = new HashSet<>();
        String hexPort = String.format(Locale.ROOT, "%04X", port);
        for (String line : table) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 10 || !f[0].endsWith(":")) {
                continue; // the header line
            }
            String local = f[1];
            if (f[3].equals(LISTEN) && local.substring(local.indexOf(':') + 1).equalsIgnoreCase(hexPort)) {
                inodes.add(Long.parseLong(f[9]));
            }
        }
        return inodes;
    }

    private static boolean holdsAny(Path fdDir, Set<Long> inodes) {
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(fdDir)) {
            for (Path fd : fds) {
                String target;
                try {
                    target = Files.readSymbolicLink(fd).toString();
                } catch (IOException | RuntimeException e) {
                    continue; // closed meanwhile
                }
                if (target.startsWith("socket:[") && inodes.contains(Long.parseLong(target.substring(8, target.length() - 1)))) {
                    return true;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not ours to read, or gone
        }
        return false;
    }
}
