package dev.herald.ops.profiling;

import java.util.List;

/**
 * What a snapshot says, readable without a JFR viewer: where the CPU went (execution samples by the
 * method on top of the stack), what allocated (sampled allocation weight by the first application frame,
 * and by class), garbage collection pauses by collector, the heap left after each collection (a rising
 * floor across snapshots is the sign of a leak), CPU load and threads.
 *
 * @param snapshot          the snapshot summarised
 * @param executionSamples  CPU samples taken (one per running Java thread every 10–20 ms)
 * @param topCpuMethods     methods most often on top of the stack, most first
 * @param allocatedBytes    bytes allocated, estimated from the allocation samples' weights
 * @param topAllocationSites where allocation happened: the first frame outside the JDK, most bytes first
 * @param topAllocatedClasses what was allocated, most bytes first
 * @param gc                collections and their pauses
 * @param heapAfterGc       heap used right after collections
 * @param cpu               average CPU load of the JVM and of the machine, percent
 * @param threads           live Java threads: the most seen and the last count
 */
public record ProfileSummary(Snapshot snapshot, long executionSamples, List<MethodSamples> topCpuMethods,
                             long allocatedBytes, List<AllocationBytes> topAllocationSites,
                             List<AllocationBytes> topAllocatedClasses, GcSummary gc, HeapAfterGc heapAfterGc,
                             CpuLoad cpu, Threads threads) {

    /** @param percent share of all execution samples */
    public record MethodSamples(String method, long samples, double percent) {
    }

    /** @param name a method ({@code type.method}) or a class; {@code percent} share of allocated bytes */
    public record AllocationBytes(String name, long bytes, double percent) {
    }

    public record GcSummary(long collections, double totalPauseMillis, double maxPauseMillis, List<Collector> collectors) {
    }

    public record Collector(String name, long collections, double totalPauseMillis, double maxPauseMillis) {
    }

    /** Bytes; all 0 when no collection happened during the snapshot. */
    public record HeapAfterGc(long minBytes, long maxBytes, long lastBytes) {
    }

    public record CpuLoad(double jvmPercent, double machinePercent) {
    }

    public record Threads(long peak, long last) {
    }

    /** The same summary with at most {@code top} rows in each list. */
    ProfileSummary limit(int top) {
        return new ProfileSummary(snapshot, executionSamples, head(topCpuMethods, top), allocatedBytes,
                head(topAllocationSites, top), head(topAllocatedClasses, top), gc, heapAfterGc, cpu, threads);
    }

    private static <T> List<T> head(List<T> list, int top) {
        return list.size() <= top ? list : List.copyOf(list.subList(0, top));
    }
}
