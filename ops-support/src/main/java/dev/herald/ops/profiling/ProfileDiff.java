package dev.herald.ops.profiling;

import dev.herald.ops.profiling.ProfileSummary.AllocationBytes;
import dev.herald.ops.profiling.ProfileSummary.MethodSamples;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * How snapshot {@code to} differs from snapshot {@code from}. Shares are compared, not raw counts, so
 * snapshots of different lengths compare fairly: a method that took 3 % of the CPU samples and now takes
 * 12 % moved by +9 points. Rows are ordered by the size of the change, largest first; a name in only one
 * snapshot's list counts as 0 in the other.
 *
 * @param cpu                 change of each method's share of CPU samples, percentage points
 * @param allocationSites     change of each site's share of allocated bytes, percentage points
 * @param allocatedClasses    change of each class's share of allocated bytes, percentage points
 * @param allocationRateDelta change of the allocation rate, bytes per second
 * @param gcPauseMillisDelta  change of the total GC pause time per minute of recording, milliseconds
 * @param maxPauseMillisDelta change of the longest GC pause, milliseconds
 * @param heapAfterGcDelta    change of the heap left after the last collection, bytes: what stays alive
 *                            grows between two snapshots when something leaks
 * @param cpuLoadDelta        change of the JVM's average CPU load, percentage points
 */
public record ProfileDiff(Snapshot from, Snapshot to, List<Change> cpu, List<Change> allocationSites,
                          List<Change> allocatedClasses, double allocationRateDelta, double gcPauseMillisDelta,
                          double maxPauseMillisDelta, long heapAfterGcDelta, double cpuLoadDelta) {

    /** @param fromPercent share in {@code from}; {@code toPercent} in {@code to}; {@code delta} = to − from */
    public record Change(String name, double fromPercent, double toPercent, double delta) {
    }

    static ProfileDiff of(ProfileSummary from, ProfileSummary to, int top) {
        double fromMinutes = Math.max(1, from.snapshot().durationMillis()) / 60_000.0;
        double toMinutes = Math.max(1, to.snapshot().durationMillis()) / 60_000.0;
        return new ProfileDiff(from.snapshot(), to.snapshot(),
                changes(from.topCpuMethods(), to.topCpuMethods(), MethodSamples::method, MethodSamples::percent, top),
                changes(from.topAllocationSites(), to.topAllocationSites(), AllocationBytes::name, AllocationBytes::percent, top),
                changes(from.topAllocatedClasses(), to.topAllocatedClasses(), AllocationBytes::name, AllocationBytes::percent, top),
                JfrSummarizer.round(to.allocatedBytes() / (toMinutes * 60) - from.allocatedBytes() / (fromMinutes * 60)),
                JfrSummarizer.round(to.gc().totalPauseMillis() / toMinutes - from.gc().totalPauseMillis() / fromMinutes),
                JfrSummarizer.round(to.gc().maxPauseMillis() - from.gc().maxPauseMillis()),
                to.heapAfterGc().lastBytes() - from.heapAfterGc().lastBytes(),
                JfrSummarizer.round(to.cpu().jvmPercent() - from.cpu().jvmPercent()));
    }

    private static <T> List<Change> changes(List<T> from, List<T> to, Function<T, String> name, ToDoubleFunction<T> percent,
                                            int top) {
        Map<String, Double> before = new HashMap<>();
        from.forEach(row -> before.put(name.apply(row), percent.applyAsDouble(row)));
        Map<String, Double> after = new HashMap<>();
        to.forEach(row -> after.put(name.apply(row), percent.applyAsDouble(row)));
        Set<String> names = new LinkedHashSet<>(after.keySet());
        names.addAll(before.keySet());
        List<Change> changes = new ArrayList<>();
        for (String n : names) {
            double a = before.getOrDefault(n, 0.0);
            double b = after.getOrDefault(n, 0.0);
            changes.add(new Change(n, a, b, JfrSummarizer.round(b - a)));
        }
        changes.sort(Comparator.comparingDouble((Change c) -> -Math.abs(c.delta())).thenComparing(Change::name));
        return changes.size() <= top ? changes : List.copyOf(changes.subList(0, top));
    }
}
