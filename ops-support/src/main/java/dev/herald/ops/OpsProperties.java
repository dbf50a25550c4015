package dev.herald.ops;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Operability settings shared by every service ({@code herald.ops.*}). Each service's
 * {@code application.yml} points {@code node} and {@code cell} at its own settings where it has them
 * (an access node's id, a dispatcher's consumer name and cell).
 *
 * @param node           this instance's id: the {@code node} tag of every meter and its name in the cluster
 *                       listing; empty = the host name
 * @param cell           the cell this instance serves: the {@code cell} tag of every meter
 * @param advertisedHost where other machines reach this instance's ports (registered in the cluster
 *                       listing); empty = the host name
 * @param registerInstance announce this instance at {@code <root>/instances/<service>/<node>} when ZooKeeper
 *                       is configured
 * @param profiling      Java Flight Recorder snapshots: schedule, on-demand bound, history
 */
@ConfigurationProperties("herald.ops")
public record OpsProperties(
        @DefaultValue("") String node,
        @DefaultValue("default") String cell,
        @DefaultValue("") String advertisedHost,
        @DefaultValue("true") boolean registerInstance,
        @DefaultValue Profiling profiling) {

    public OpsProperties {
        node = node == null ? "" : node.trim();
        advertisedHost = advertisedHost == null ? "" : advertisedHost.trim();
        if (cell == null || !cell.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new IllegalArgumentException("herald.ops.cell must match [A-Za-z0-9._-]{1,64}: " + cell);
        }
        if (!node.isEmpty() && !node.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new IllegalArgumentException("herald.ops.node must match [A-Za-z0-9._-]{1,64}: " + node);
        }
    }

    /**
     * @param enabled     the {@code profiles} endpoint and the schedule; off = no recording ever starts
     * @param directory   where snapshots are kept; each instance writes to {@code <directory>/<service>-<node>}
     * @param interval    a scheduled snapshot starts this often (the first one after one interval);
     *                    0 = no schedule, on demand only
     * @param duration    length of a scheduled snapshot
     * @param maxDuration longest snapshot an on-demand request may ask for
     * @param keep        snapshots kept; the oldest are deleted first
     * @param maxBytes    bytes the kept snapshots may use together; the oldest are deleted first
     * @param settings    the JDK's JFR configuration to record with: {@code profile} (method samples every
     *                    10 ms, allocation samples; about 2 % overhead) or {@code default} (≈1 %)
     * @param top         rows in a summary's top-method and top-allocation-site lists
     */
    public record Profiling(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("data/profiles") Path directory,
            @DefaultValue("PT1H") Duration interval,
            @DefaultValue("PT60S") Duration duration,
            @DefaultValue("PT5M") Duration maxDuration,
            @DefaultValue("24") int keep,
            @DefaultValue("256MB") DataSize maxBytes,
            @DefaultValue("profile") String settings,
            @DefaultValue("20") int top) {

        public Profiling {
            if (interval == null || interval.isNegative()) {
                throw new IllegalArgumentException("herald.ops.profiling.interval must be 0 (off) or positive: " + interval);
            }
            requirePositive("duration", duration);
            requirePositive("max-duration", maxDuration);
            if (keep < 1 || top < 1) {
                throw new IllegalArgumentException("herald.ops.profiling.keep and top must be at least 1");
            }
            if (maxBytes == null || maxBytes.toBytes() < 1) {
                throw new IllegalArgumentException("herald.ops.profiling.max-bytes must be positive: " + maxBytes);
            }
            if (!"profile".equals(settings) && !"default".equals(settings)) {
                throw new IllegalArgumentException("herald.ops.profiling.settings must be profile or default: " + settings);
            }
        }

        public boolean scheduled() {
            return !interval.isZero();
        }

        private static void requirePositive(String name, Duration value) {
            if (value == null || value.toMillis() < 1) {
                throw new IllegalArgumentException("herald.ops.profiling." + name + " must be at least 1ms: " + value);
            }
        }
    }
}
