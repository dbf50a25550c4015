package dev.herald.e2e;

import java.time.Duration;

/**
 * The size of the fault suite. The defaults fit CI (2 cores, about three minutes for every fault); the
 * {@code faults-long} Maven profile raises them (see docs/reliability.md), and each can be set alone as a
 * system property, e.g. {@code -Dherald.faults.devices=3000}.
 *
 * @param devices          connected devices (the fleet), spread over both access nodes
 * @param messagesPerSecond pushes sent per second through push-api, all faults long
 * @param broadcastEvery   every n-th message is an offline-flagged broadcast to the whole fleet
 * @param onlineOnlyShare  share of unicasts sent online-only ({@code offline: false})
 * @param loadBefore       load before each fault is injected
 * @param loadAfter        load after the system has recovered
 * @param zooKeeperOutage  how long ZooKeeper stays down
 * @param stall            after the load stops, how long without any offline-flagged message arriving
 *                         before what is still missing counts as lost
 * @param settle           longest wait, after the load stops, for every offline-flagged message to arrive
 */
record FaultSettings(int devices, int messagesPerSecond, int broadcastEvery, double onlineOnlyShare,
                     Duration loadBefore, Duration loadAfter, Duration zooKeeperOutage, Duration stall,
                     Duration settle) {

    static FaultSettings fromSystemProperties() {
        return new FaultSettings(
                Integer.getInteger("herald.faults.devices", 1500),
                Integer.getInteger("herald.faults.rate", 100),
                Integer.getInteger("herald.faults.broadcast-every", 200),
                Double.parseDouble(System.getProperty("herald.faults.online-only-share", "0.2")),
                duration("herald.faults.load-before", "PT3S"),
                duration("herald.faults.load-after", "PT3S"),
                duration("herald.faults.zookeeper-outage", "PT10S"),
                duration("herald.faults.stall", "PT30S"),
                duration("herald.faults.settle", "PT5M"));
    }

    private static Duration duration(String property, String defaultValue) {
        return Duration.parse(System.getProperty(property, defaultValue));
    }

    @Override
    public String toString() {
        return devices + " devices, " + messagesPerSecond + " msg/s, a broadcast every " + broadcastEvery
                + " messages, " + Math.round(onlineOnlyShare * 100) + "% of unicasts online-only, ZooKeeper down "
                + zooKeeperOutage.toSeconds() + " s";
    }
}
