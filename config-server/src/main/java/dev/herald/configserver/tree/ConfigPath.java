package dev.herald.configserver.tree;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * The path of a config node below {@code <root>/config}: 1 to {@value #MAX_DEPTH} slash-separated segments of
 * {@code [A-Za-z0-9._-]}, for example {@code apps/demo} or {@code global/blacklist-ips}.
 */
public record ConfigPath(List<String> segments) {

    public static final int MAX_DEPTH = 4;
    public static final int MAX_SEGMENT_LENGTH = 128;
    public static final String SEGMENT_PATTERN = "[A-Za-z0-9._-]{1," + MAX_SEGMENT_LENGTH + "}";
    private static final Pattern SEGMENT = Pattern.compile(SEGMENT_PATTERN);

    public ConfigPath {
        segments = List.copyOf(segments);
        if (segments.isEmpty() || segments.size() > MAX_DEPTH) {
            throw new IllegalArgumentException("a config path has 1 to " + MAX_DEPTH + " segments: " + segments);
        }
        for (String segment : segments) {
            if (problemWith(segment).isPresent()) {
                throw new IllegalArgumentException("invalid config path segment: " + segment);
            }
        }
    }

    public static ConfigPath of(String... segments) {
        return new ConfigPath(List.of(segments));
    }

    /**
     * Parses a path as given in a request URI ({@code apps/demo}, a leading slash allowed).
     *
     * @return the path, or what is wrong with it, phrased for the caller
     */
    public static ParseResult parse(String raw) {
        String text = raw == null ? "" : raw.startsWith("/") ? raw.substring(1) : raw;
        if (text.isEmpty()) {
            return ParseResult.failure("The config path is empty: name a node such as apps/demo.");
        }
        String[] parts = text.split("/", -1);
        if (parts.length > MAX_DEPTH) {
            return ParseResult.failure("The config path '" + text + "' has " + parts.length + " segments; at most "
                    + MAX_DEPTH + " are allowed.");
        }
        for (String part : parts) {
            Optional<String> problem = problemWith(part);
            if (problem.isPresent()) {
                return ParseResult.failure("The config path '" + text + "' is invalid: " + problem.get());
            }
        }
        return new ParseResult(new ConfigPath(List.of(parts)), null);
    }

    private static Optional<String> problemWith(String segment) {
        if (segment.isEmpty()) {
            return Optional.of("it has an empty segment (a doubled or trailing slash).");
        }
        if (segment.equals(".") || segment.equals("..")) {
            return Optional.of("'" + segment + "' is not allowed as a segment.");
        }
        if (!SEGMENT.matcher(segment).matches()) {
            return Optional.of("segments are 1 to " + MAX_SEGMENT_LENGTH + " characters of [A-Za-z0-9._-], not '"
                    + segment + "'.");
        }
        return Optional.empty();
    }

    public int depth() {
        return segments.size();
    }

    public String name() {
        return segments.get(segments.size() - 1);
    }

    public String first() {
        return segments.get(0);
    }

    /** The paths above this one, nearest to the top first: {@code a}, {@code a/b} for {@code a/b/c}. */
    public List<ConfigPath> ancestors() {
        return IntStream.range(1, segments.size())
                .mapToObj(n -> new ConfigPath(segments.subList(0, n)))
                .toList();
    }

    public ConfigPath child(String segment) {
        List<String> longer = new ArrayList<>(segments);
        longer.add(segment);
        return new ConfigPath(longer);
    }

    /** {@code apps/demo}. */
    public String value() {
        return String.join("/", segments);
    }

    @Override
    public String toString() {
        return value();
    }

    /** A parsed path, or the reason it could not be parsed. */
    public record ParseResult(ConfigPath path, String problem) {

        static ParseResult failure(String problem) {
            return new ParseResult(null, problem);
        }

        public boolean ok() {
            return path != null;
        }
    }
}
