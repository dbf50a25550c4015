package dev.herald.bench.device;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.bench.nats.NatsDecoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The NATS device on an {@link EmbeddedChannel}: the test plays nats-server with the protocol's text lines. */
class NatsDeviceTest {

    private final DeviceLogin login = new DeviceLogin(7, "cmp-7", "compare", "token");
    private final RecordingSink sink = new RecordingSink();
    private final CompletableFuture<DeviceConnection> done = new CompletableFuture<>();
    private final EmbeddedChannel device = new EmbeddedChannel(new NatsDecoder(65536),
            new NatsDeviceHandler(login, sink, done, TimeUnit.SECONDS.toNanos(10)));

    @AfterEach
    void close() {
        device.finishAndReleaseAll();
    }

    private void fromServer(String text) {
        device.writeInbound(Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII));
    }

    private String written() {
        StringBuilder all = new StringBuilder();
        ByteBuf b;
        while ((b = device.readOutbound()) != null) {
            all.append(b.toString(StandardCharsets.US_ASCII));
            b.release();
        }
        return all.toString();
    }

    @Test
    void afterInfoSubscribesToItsSubjectAndAllThenLogsInOnPong() {
        assertThat(written()).as("nothing before the server's INFO").isEmpty();

        fromServer("INFO {\"server_id\":\"x\",\"version\":\"2.9.10\"}\r\n");
        String sent = written();
        assertThat(sent).startsWith("CONNECT {\"verbose\":false,\"pedantic\":false,")
                .contains("\"name\":\"cmp-7\"")
                .endsWith("}\r\nSUB dev.cmp-7 1\r\nSUB all 2\r\nPING\r\n");
        assertThat(done).isNotDone();

        fromServer("PONG\r\n");
        assertThat(done).isCompletedWithValueMatching(DeviceConnection::isOpen);
    }

    @Test
    void messagesGoToTheSinkAndPingsAreAnswered() {
        fromServer("INFO {}\r\nPONG\r\n");
        written();

        fromServer("MSG dev.cmp-7 1 5\r\nhello\r\nMSG all 2 3\r\nall\r\nPING\r\n");

        assertThat(sink.payloads).extracting(p -> new String(p, StandardCharsets.US_ASCII)).containsExactly("hello", "all");
        assertThat(written()).isEqualTo("PONG\r\n");
    }

    @Test
    void anErrBeforeTheLoginRefusesIt() {
        fromServer("INFO {}\r\n-ERR 'Authorization Violation'\r\n");

        assertThat(done).isCompletedExceptionally();
        assertThat(done.handle((c, e) -> e).join()).isInstanceOf(DeviceRefusedException.class)
                .hasMessageContaining("Authorization Violation");
        assertThat(device.isOpen()).isFalse();
    }
}
