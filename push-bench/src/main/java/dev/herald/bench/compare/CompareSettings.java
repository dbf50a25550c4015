package dev.herald.bench.compare;

import dev.herald.bench.worker.BenchPayload;
import java.time.Duration;

/**
 * The size of a side-by-side run, the same for every target.
 *
 * @param devices devices held through every scenario (idle memory, connects/s, broadcasts, unicasts)
 * @param memoryDevices second idle-memory reading: this many connections in all (more devices join, then
 *        leave before the traffic scenarios); at most {@code devices} skips it
 * @param inFlight handshakes in flight at once (connects are not paced: the rate is the target's)
 * @param broadcasts broadcasts sent one at a time, each awaited until every device has it
 * @param bursts broadcasts sent at once
 * @param unicastSeconds how long unicasts go flat out
 * @param window flat out means at most this many messages sent but not yet delivered
 * @param pacedRate unicasts per second of the paced run
 * @param drain longest wait for the deliveries of one phase (it ends sooner after 5 s without any)
 * @param settle pause after connecting before reading memory
 */
public record CompareSettings(int devices, int memoryDevices, String devicePrefix, int inFlight, int eventLoops,
                       Duration connectTimeout, String sourceAddresses, int payloadBytes, int broadcasts, int bursts,
                       double unicastSeconds, int window, double pacedRate, double pacedSeconds, Duration drain,
                       Duration settle) {

    public CompareSettings {
        if (devices < 1 || inFlight < 1 || broadcasts < 1 || bursts < 1 || unicastSeconds <= 0 || window < 1
                || pacedRate <= 0 || pacedSeconds <= 0) {
            throw new IllegalArgumentException("--devices, --in-flight, --broadcasts, --bursts, --window must be >= 1; "
                    + "--unicast-seconds, --paced-rate and --paced-seconds > 0");
        }
        if (payloadBytes < BenchPayload.BYTES) {
            throw new IllegalArgumentException("--payload-bytes must be at least " + BenchPayload.BYTES
                    + " (the send stamp)");
        }
    }

    boolean secondMemoryReading() {
        return memoryDevices > devices;
    }
}
