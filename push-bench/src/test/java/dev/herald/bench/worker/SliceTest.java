package dev.herald.bench.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.bench.scenario.DeviceSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class SliceTest {

    @Test
    void splitsContiguouslyWithTheRemainderOnTheFirstSlices() {
        assertThat(Slice.split(0, 10, 3)).containsExactly(new Slice(0, 4), new Slice(4, 3), new Slice(7, 3));
        assertThat(Slice.split(100, 10_000, 2)).containsExactly(new Slice(100, 5_000), new Slice(5_100, 5_000));
    }

    @Test
    void moreProcessesThanDevicesLeavesSomeEmpty() {
        assertThat(Slice.split(0, 2, 3)).containsExactly(new Slice(0, 1), new Slice(1, 1), new Slice(2, 0));
    }

    @Test
    void slicesCoverEveryDeviceOnce() {
        for (int parts = 1; parts <= 7; parts++) {
            List<Slice> slices = Slice.split(5, 1_001, parts);
            int next = 5;
            for (Slice s : slices) {
                assertThat(s.first()).isEqualTo(next);
                next += s.count();
            }
            assertThat(next).isEqualTo(1_006);
        }
    }

    @Test
    void agentsGetFixedSlicesOneAfterTheOther() {
        assertThat(Slice.fixed(0, 5_000, 2)).containsExactly(new Slice(0, 5_000), new Slice(5_000, 5_000));
        assertThat(Slice.fixed(10, 0, 2)).containsExactly(new Slice(10, 0), new Slice(10, 0));
    }

    @Test
    void aShareGetsItsPartOfTheConnectRate() {
        DeviceSpec whole = new DeviceSpec("native", List.of("127.0.0.1:7070"), "demo", "s", "bench-", 10_000, 0, 2_000,
                200, "", 2, 10);
        DeviceSpec share = WorkerTask.share(whole, new Slice(5_000, 2_500));

        assertThat(share.firstDevice()).isEqualTo(5_000);
        assertThat(share.devices()).isEqualTo(2_500);
        assertThat(share.connectRate()).isEqualTo(500);
        assertThat(share.inFlight()).as("per process").isEqualTo(200);
    }

    @Test
    void refusesNonsense() {
        assertThatThrownBy(() -> Slice.split(0, 10, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Slice(-1, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
