package dev.herald.bench.compare;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The pure parts of reading the servers: Redis INFO commandstats and /proc/net/tcp. */
class ServerReadingsTest {

    @Test
    void redisCommandsAreTheCallsOfEveryCommandButInfo() {
        String info = "# Commandstats\r\n"
                + "cmdstat_xadd:calls=1200,usec=5000,usec_per_call=4.17,rejected_calls=0,failed_calls=0\r\n"
                + "cmdstat_evalsha:calls=300,usec=9000,usec_per_call=30.00,rejected_calls=0,failed_calls=0\r\n"
                + "cmdstat_info:calls=7,usec=700,usec_per_call=100.00,rejected_calls=0,failed_calls=0\r\n"
                + "cmdstat_get:calls=25\r\n";

        assertThat(RedisCommandStats.totalCalls(info)).isEqualTo(1525);
        assertThat(RedisCommandStats.totalCalls("# Commandstats\r\n")).isZero();
    }

    @Test
    void listeningSocketsOfAPortFromProcNetTcp() {
        List<String> table = List.of(
                "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
                "   0: 00000000:1B9E 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 41234 1 0000000000000000 100 0 0 10 0",
                "   1: 0100007F:1B9E 0100007F:A1B2 01 00000000:00000000 00:00000000 00000000     0        0 55555 1 0000000000000000 20 4 30 10 -1",
                "   2: 0100007F:1B9F 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 41240 1 0000000000000000 100 0 0 10 0");

        assertThat(ListeningProcess.listeningInodes(table, 7070)).containsExactly(41234L);
        assertThat(ListeningProcess.listeningInodes(table, 7071)).containsExactly(41240L);
        assertThat(ListeningProcess.listeningInodes(table, 8080)).isEmpty();
    }

    @Test
    void theProcessListeningOnAPortIsFound() throws Exception {
        try (java.net.ServerSocket server = new java.net.ServerSocket(0)) {
            assertThat(ListeningProcess.on(server.getLocalPort())).hasValue(ProcessHandle.current().pid());
        }
    }
}
