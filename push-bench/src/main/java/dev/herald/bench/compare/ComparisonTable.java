package dev.herald.bench.compare;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The comparison as one markdown table: a row per figure, a column per target, and Herald's ratio to each
 * other target (Herald's figure divided by the other's: above 1 is better for Herald where higher is better,
 * below 1 where lower is better). A figure a target did not produce is "–"; notes under the table say why.
 */
final class ComparisonTable {

    static final String HERALD = "Herald";
    private static final String NONE = "–";

    enum Better {
        HIGHER, LOWER;

        String word() {
            return this == HIGHER ? "higher" : "lower";
        }
    }

    /** One figure of every target. */
    record Row(String label, Better better, Function<TargetFigures, Double> value, Function<Double, String> format) {
    }

    private ComparisonTable() {
    }

    static List<Row> rows(CompareSettings s) {
        List<Row> rows = new ArrayList<>();
        rows.add(new Row("idle memory: RSS per connection at " + count(s.devices()), Better.LOWER,
                f -> f.memory() == null ? null : f.memory().bytesPerConnection(), ComparisonTable::kilobytes));
        if (s.secondMemoryReading()) {
            rows.add(new Row("idle memory: RSS per connection at " + count(s.memoryDevices()), Better.LOWER,
                    f -> f.memoryAtMore() == null ? null : f.memoryAtMore().bytesPerConnection(), ComparisonTable::kilobytes));
        }
        rows.add(new Row("connects/s (" + count(s.devices()) + " devices, " + s.inFlight() + " handshakes in flight)",
                Better.HIGHER, f -> f.connects() == null ? null : f.connects().perSecond(), ComparisonTable::rate));
        rows.add(new Row("one broadcast reaching all " + count(s.devices()) + ": time to last device, median of "
                + s.broadcasts(), Better.LOWER, f -> f.broadcasts() == null ? null : f.broadcasts().medianToLastMs(),
                ComparisonTable::millis));
        rows.add(new Row("one broadcast reaching all " + count(s.devices()) + ": time to last device, p99", Better.LOWER,
                f -> f.broadcasts() == null ? null : f.broadcasts().p99ToLastMs(), ComparisonTable::millis));
        rows.add(new Row("bursts " + count(s.bursts()) + " × " + count(s.devices()) + ": deliveries/s", Better.HIGHER,
                f -> f.burst() == null ? null : f.burst().deliveriesPerSecond(), ComparisonTable::rate));
        rows.add(new Row("unicast flat out (" + (long) s.unicastSeconds() + " s, ≤ " + count(s.window())
                + " undelivered): delivered/s", Better.HIGHER,
                f -> f.flatOut() == null ? null : f.flatOut().deliveredPerSecond(), ComparisonTable::rate));
        rows.add(new Row("unicast paced " + count((long) s.pacedRate()) + "/s: end-to-end p50", Better.LOWER,
                f -> f.paced() == null || f.paced().delivered() == 0 ? null : f.paced().endToEnd().p50Ms(), ComparisonTable::millis));
        rows.add(new Row("unicast paced " + count((long) s.pacedRate()) + "/s: end-to-end p99", Better.LOWER,
                f -> f.paced() == null || f.paced().delivered() == 0 ? null : f.paced().endToEnd().p99Ms(), ComparisonTable::millis));
        rows.add(new Row("Redis commands per durable unicast (flat out)", Better.LOWER,
                f -> f.flatOut() == null ? null : f.flatOut().redisCommandsPerDelivery(), v -> String.format(Locale.ROOT, "%.1f", v)));
        rows.add(new Row("deliveries missing, all scenarios", null, ComparisonTable::missing, v -> count(v.longValue())));
        return rows;
    }

    static String markdown(List<String> preamble, CompareSettings settings, List<TargetFigures> targets) {
        StringBuilder md = new StringBuilder();
        for (String line : preamble) {
            md.append(line).append('\n');
        }
        md.append('\n');
        TargetFigures herald = targets.stream().filter(t -> t.target().equals(HERALD)).findFirst().orElse(null);
        List<TargetFigures> others = targets.stream().filter(t -> t != herald).toList();
        List<String> header = new ArrayList<>(List.of("scenario", "better"));
        targets.forEach(t -> header.add(t.target()));
        if (herald != null) {
            others.forEach(o -> header.add("Herald ÷ " + o.target()));
        }
        line(md, header);
        line(md, header.stream().map(h -> "---").toList());
        for (Row row : rows(settings)) {
            List<String> cells = new ArrayList<>(List.of(row.label(), row.better() == null ? "" : row.better().word()));
            for (TargetFigures t : targets) {
                Double v = row.value().apply(t);
                cells.add(v == null ? NONE : row.format().apply(v));
            }
            if (herald != null) {
                for (TargetFigures o : others) {
                    cells.add(row.better() == null ? "" : ratio(row.value().apply(herald), row.value().apply(o)));
                }
            }
            line(md, cells);
        }
        md.append('\n');
        for (String note : notes(targets)) {
            md.append("- ").append(note).append('\n');
        }
        return md.toString();
    }

    /** Herald ÷ other, {@code "–"} when either is missing or the other is 0. */
    static String ratio(Double herald, Double other) {
        if (herald == null || other == null || other == 0) {
            return NONE;
        }
        double r = herald / other;
        String digits = r >= 100 ? "%.0f" : r >= 10 ? "%.1f" : r >= 0.1 ? "%.2f" : "%.3f";
        return String.format(Locale.ROOT, digits, r) + "×";
    }

    static List<String> notes(List<TargetFigures> targets) {
        List<String> notes = new ArrayList<>();
        for (TargetFigures t : targets) {
            notes.add(t.description());
            String name = t.target();
            if (t.error() != null) {
                notes.add(name + " did not finish: " + t.error());
            }
            if (t.connects() != null && t.connects().failed() > 0) {
                notes.add(name + ": " + t.connects().failed() + " of " + t.connects().attempted() + " devices could not connect "
                        + t.connects().failures());
            }
            if (t.memory() != null && t.memory().bytesPerConnection() == null) {
                notes.add(name + ": server RSS not readable (pid unknown or not this user's)");
            }
            if (t.broadcasts() != null && t.broadcasts().reachingAll() < t.broadcasts().sent()) {
                notes.add(name + ": " + t.broadcasts().reachingAll() + " of " + t.broadcasts().sent()
                        + " one-at-a-time broadcasts reached every device (median and p99 are over those)");
            }
            for (TargetFigures.Unicasts u : new TargetFigures.Unicasts[] {t.flatOut(), t.paced()}) {
                if (u == null) {
                    continue;
                }
                String which = u.targetRate() > 0 ? "paced unicast" : "unicast flat out";
                if (u.targetRate() > 0 && u.achievedRate() < 0.95 * u.targetRate()) {
                    notes.add(name + ": " + which + " sent " + rate(u.achievedRate()) + " of the " + rate(u.targetRate())
                            + " asked (latency counts from each message's due time)");
                }
                if (u.rejected() > 0) {
                    notes.add(name + ": " + which + ": " + u.rejected() + " rejected " + u.failures());
                }
                if (u.stalled()) {
                    notes.add(name + ": " + which + " stopped early: nothing was delivered for 5 s with the window full");
                }
            }
            if (!t.disconnects().isEmpty()) {
                notes.add(name + ": devices disconnected by the server during the run " + t.disconnects());
            }
        }
        return notes;
    }

    private static Double missing(TargetFigures f) {
        if (f.broadcasts() == null) {
            return null;
        }
        long missing = f.broadcasts().missing();
        missing += f.burst() == null ? 0 : f.burst().missing();
        missing += f.flatOut() == null ? 0 : f.flatOut().missing();
        missing += f.paced() == null ? 0 : f.paced().missing();
        return (double) missing;
    }

    private static void line(StringBuilder md, List<String> cells) {
        md.append("| ").append(String.join(" | ", cells)).append(" |\n");
    }

    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n).replace(',', ' ');
    }

    static String kilobytes(double bytes) {
        return String.format(Locale.ROOT, "%.2f KB", bytes / 1024);
    }

    static String rate(double perSecond) {
        return count(Math.round(perSecond)) + "/s";
    }

    static String millis(double ms) {
        return String.format(Locale.ROOT, ms >= 100 ? "%.0f ms" : ms >= 10 ? "%.1f ms" : "%.2f ms", ms);
    }
}
