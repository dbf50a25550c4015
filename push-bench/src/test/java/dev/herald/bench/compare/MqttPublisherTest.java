package dev.herald.bench.compare;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The publisher's hand-encoded PUBLISH is byte for byte what Netty's MQTT encoder writes, and decodes back. */
class MqttPublisherTest {

    @ParameterizedTest
    @CsvSource({"0, 100", "1, 100", "1, 200", "0, 20000"})
    void publishBytesMatchNettysEncoder(int qos, int payloadBytes) {
        byte[] payload = new byte[payloadBytes];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) i;
        }
        MqttQoS level = MqttQoS.valueOf(qos);
        int packetId = qos > 0 ? 65535 : -1;
        ByteBuf ours = Unpooled.buffer();
        MqttPublisher.encodePublish(ours, "dev/cmp-12345", payload, level, packetId);

        EmbeddedChannel encoder = new EmbeddedChannel(MqttEncoder.INSTANCE);
        encoder.writeOutbound(new MqttPublishMessage(new MqttFixedHeader(MqttMessageType.PUBLISH, false, level, false, 0),
                new MqttPublishVariableHeader("dev/cmp-12345", packetId), Unpooled.wrappedBuffer(payload)));
        ByteBuf netty = encoder.readOutbound();
        try {
            assertThat(ByteBufUtil.hexDump(ours)).isEqualTo(ByteBufUtil.hexDump(netty));

            EmbeddedChannel decoder = new EmbeddedChannel(new MqttDecoder(65536));
            decoder.writeInbound(ours.retain());
            MqttPublishMessage decoded = decoder.readInbound();
            assertThat(decoded.variableHeader().topicName()).isEqualTo("dev/cmp-12345");
            assertThat(decoded.fixedHeader().qosLevel()).isEqualTo(level);
            assertThat(decoded.variableHeader().packetId()).isEqualTo(packetId);
            assertThat(ByteBufUtil.getBytes(decoded.payload())).isEqualTo(payload);
            decoded.release();
            decoder.finishAndReleaseAll();
        } finally {
            ours.release();
            netty.release();
            encoder.finishAndReleaseAll();
        }
    }
}
