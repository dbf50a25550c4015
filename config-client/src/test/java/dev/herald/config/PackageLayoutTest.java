package dev.herald.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The layering of config-client's packages, read from the imports of its sources: {@code address} and
 * {@code zookeeper} depend on no other package of the module, {@code snapshot} and {@code nodes} build on them,
 * and only the root package (the auto-configurations) sees everything. No cycles, and nothing reaches up into
 * the root.
 */
class PackageLayoutTest {

    private static final Path SOURCES = Path.of("src/main/java/dev/herald/config");
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?dev\\.herald\\.config\\.(\\w+)\\.",
            Pattern.MULTILINE);
    private static final Pattern ROOT_IMPORT =
            Pattern.compile("^import (?:static )?dev\\.herald\\.config\\.[A-Z]", Pattern.MULTILINE);
    private static final Map<String, Set<String>> ALLOWED = Map.of(
            "address", Set.of(),
            "zookeeper", Set.of(),
            "snapshot", Set.of("address", "zookeeper"),
            "nodes", Set.of("zookeeper"),
            "", Set.of("address", "zookeeper", "snapshot", "nodes"));

    @Test
    void everyPackageDependsOnlyOnThoseBelowIt() throws IOException {
        List<String> violations = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(SOURCES)) {
            files = walk.filter(p -> p.toString().endsWith(".java")).toList();
        }
        assertThat(files).hasSizeGreaterThan(20);
        for (Path file : files) {
            Path relative = SOURCES.relativize(file.getParent());
            String pkg = relative.toString().replace('/', '.');
            assertThat(ALLOWED).as("package of %s is listed here", file).containsKey(pkg);
            String source = Files.readString(file);
            Matcher imports = IMPORT.matcher(source);
            while (imports.find()) {
                String target = imports.group(1);
                if (!target.equals(pkg) && !ALLOWED.get(pkg).contains(target)) {
                    violations.add(file + " imports from " + target);
                }
            }
            if (!pkg.isEmpty() && ROOT_IMPORT.matcher(source).find()) {
                violations.add(file + " imports from the root package");
            }
        }
        assertThat(violations).isEmpty();
    }
}
