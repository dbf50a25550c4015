package dev.herald.configserver.cluster;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Samples read from Prometheus' text exposition format (what {@code /actuator/prometheus} answers to
 * {@code Accept: text/plain}): {@code name{label="value",...} value [timestamp]}. Comments, blank lines and
 * lines it cannot read are skipped: the console shows what it finds, and a missing number is simply absent.
 */
final class PrometheusText {

    record Sample(String name, Map<String, String> labels, double value) {
    }

    private final List<Sample> samples;

    private PrometheusText(List<Sample> samples) {
        this.samples = samples;
    }

    static PrometheusText parse(String text) {
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            Sample sample = parseLine(trimmed);
            if (sample != null) {
                samples.add(sample);
            }
        }
        return new PrometheusText(samples);
    }

    List<Sample> samples() {
        return samples;
    }

    /** The sum of every series of {@code name} whose labels include {@code labels}; empty when there is none. */
    OptionalDouble sum(String name, Map<String, String> labels) {
        double sum = 0;
        boolean found = false;
        for (Sample sample : samples) {
            if (matches(sample, name, labels) && !Double.isNaN(sample.value())) {
                sum += sample.value();
                found = true;
            }
        }
        return found ? OptionalDouble.of(sum) : OptionalDouble.empty();
    }

    OptionalDouble sum(String name) {
        return sum(name, Map.of());
    }

    /** The largest value among the series of {@code name}; empty when there is none. */
    OptionalDouble max(String name) {
        return samples.stream().filter(s -> s.name().equals(name) && !Double.isNaN(s.value()))
                .mapToDouble(Sample::value).max();
    }

    /** Whether any series of {@code name} with {@code labels} has a negative value (e.g. an undefined maximum). */
    boolean anyNegative(String name, Map<String, String> labels) {
        return samples.stream().anyMatch(s -> matches(s, name, labels) && s.value() < 0);
    }

    private static boolean matches(Sample sample, String name, Map<String, String> labels) {
        if (!sample.name().equals(name)) {
            return false;
        }
        for (Map.Entry<String, String> label : labels.entrySet()) {
            if (!label.getValue().equals(sample.labels().get(label.getKey()))) {
                return false;
            }
        }
        return true;
    }

    private static Sample parseLine(String line) {
        int i = 0;
        while (i < line.length() && line.charAt(i) != '{' && !Character.isWhitespace(line.charAt(i))) {
            i++;
        }
        String name = line.substring(0, i);
        if (name.isEmpty()) {
            return null;
        }
        Map<String, String> labels = new HashMap<>();
        if (i < line.length() && line.charAt(i) == '{') {
            i = parseLabels(line, i + 1, labels);
            if (i < 0) {
                return null;
            }
        }
        String[] rest = line.substring(i).strip().split("\\s+");
        if (rest.length == 0 || rest[0].isEmpty()) {
            return null;
        }
        Double value = number(rest[0]);
        return value == null ? null : new Sample(name, Map.copyOf(labels), value);
    }

    /** Reads {@code key="value",...}} from {@code i}; returns the index after the closing brace, or -1. */
    private static int parseLabels(String line, int i, Map<String, String> labels) {
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c == '}') {
                return i + 1;
            }
            if (c == ',' || Character.isWhitespace(c)) {
                i++;
                continue;
            }
            int equals = line.indexOf('=', i);
            if (equals < 0 || equals + 1 >= line.length() || line.charAt(equals + 1) != '"') {
                return -1;
            }
            String key = line.substring(i, equals).strip();
            StringBuilder value = new StringBuilder();
            int j = equals + 2;
            while (j < line.length() && line.charAt(j) != '"') {
                char v = line.charAt(j);
                if (v == '\\' && j + 1 < line.length()) {
                    char escaped = line.charAt(++j);
                    value.append(escaped == 'n' ? '\n' : escaped);
                } else {
                    value.append(v);
                }
                j++;
            }
            if (j >= line.length()) {
                return -1;
            }
            labels.put(key, value.toString());
            i = j + 1;
        }
        return -1;
    }

    private static Double number(String text) {
        return switch (text) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> {
                try {
                    yield Double.parseDouble(text);
                } catch (NumberFormatException e) {
                    yield null;
                }
            }
        };
    }
}
