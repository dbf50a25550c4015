package dev.herald.bench.worker;

import dev.herald.bench.scenario.DeviceSpec;

/**
 * The devices one worker runs: {@code devices} is already its slice ({@code firstDevice},
 * {@code devices}) with its share of the connect rate.
 */
public record WorkerTask(int runId, String worker, DeviceSpec devices) {

    /** The part of {@code whole} that {@code slice} covers, with the connect rate shared in proportion. */
    public static DeviceSpec share(DeviceSpec whole, Slice slice) {
        double rate = whole.devices() == 0 ? whole.connectRate()
                : whole.connectRate() * slice.count() / whole.devices();
        return new DeviceSpec(whole.protocol(), whole.access(), whole.app(), whole.secret(), whole.devicePrefix(),
                slice.count(), slice.first(), rate, whole.inFlight(), whole.sourceAddresses(), whole.eventLoops(),
                whole.connectTimeoutSeconds(), whole.room(), whole.tls());
    }
}
