package dev.herald.access.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What an MQTT 3.1.1 client reads from the server, checked as the client would: whole packets of the
 * types a server sends (CONNACK, PUBLISH, PUBACK, SUBACK, UNSUBACK, PINGRESP) with their fixed-header
 * flags right, CONNACK first, and nothing after a refusing CONNACK.
 */
final class MqttReplies {

    /**
     * One packet: its type (upper nibble of the first byte), the packet id where it has one (else -1),
     * the CONNACK return code or the SUBACK return codes, and a PUBLISH's topic and QoS.
     */
    record Packet(int type, int packetId, int[] codes, String topic, int qos) {
    }

    static final int CONNACK = 2;
    static final int PUBLISH = 3;
    static final int PUBACK = 4;
    static final int SUBACK = 9;
    static final int UNSUBACK = 11;
    static final int PINGRESP = 13;

    private MqttReplies() {
    }

    static List<Packet> parse(byte[] bytes) {
        List<Packet> packets = new ArrayList<>();
        ByteBuf in = Unpooled.wrappedBuffer(bytes);
        while (in.isReadable()) {
            int first = in.readUnsignedByte();
            int type = first >> 4;
            int remaining = 0;
            for (int shift = 0, digit = 0x80; (digit & 0x80) != 0; shift += 7) {
                assertThat(shift).as("remaining length of at most 4 bytes").isLessThan(28);
                digit = in.readUnsignedByte();
                remaining |= (digit & 0x7F) << shift;
            }
            ByteBuf body = in.readSlice(remaining);
            if (!packets.isEmpty() && packets.get(0).type() == CONNACK) {
                assertThat(packets.get(0).codes()[0]).as("nothing after a refusing CONNACK").isZero();
            }
            Packet packet = switch (type) {
                case CONNACK -> {
                    assertThat(first & 0x0F).isZero();
                    assertThat(remaining).isEqualTo(2);
                    assertThat(body.readUnsignedByte()).as("session present").isZero();
                    yield new Packet(type, -1, new int[] {body.readUnsignedByte()}, null, 0);
                }
                case PUBLISH -> {
                    int qos = (first >> 1) & 3;
                    assertThat(qos).isLessThanOrEqualTo(1);
                    assertThat(first & 1).as("never retained").isZero();
                    String topic = body.readCharSequence(body.readUnsignedShort(), StandardCharsets.UTF_8).toString();
                    yield new Packet(type, qos > 0 ? body.readUnsignedShort() : -1, null, topic, qos);
                }
                case PUBACK, UNSUBACK -> {
                    assertThat(first & 0x0F).isZero();
                    assertThat(remaining).isEqualTo(2);
                    yield new Packet(type, body.readUnsignedShort(), null, null, 0);
                }
                case SUBACK -> {
                    assertThat(first & 0x0F).isZero();
                    int id = body.readUnsignedShort();
                    int[] codes = new int[body.readableBytes()];
                    for (int i = 0; i < codes.length; i++) {
                        codes[i] = body.readUnsignedByte();
                        assertThat(codes[i]).isIn(0, 1, 0x80);
                    }
                    yield new Packet(type, id, codes, null, 0);
                }
                case PINGRESP -> {
                    assertThat(first & 0x0F).isZero();
                    assertThat(remaining).isZero();
                    yield new Packet(type, -1, null, null, 0);
                }
                default -> throw new AssertionError("the server sent an MQTT packet of type " + type);
            };
            assertThat(packets.isEmpty() ? packet.type() : CONNACK).as("CONNACK comes first").isEqualTo(CONNACK);
            packets.add(packet);
        }
        return packets;
    }

    static String name(int type) {
        return switch (type) {
            case CONNACK -> "CONNACK";
            case PUBLISH -> "PUBLISH";
            case PUBACK -> "PUBACK";
            case SUBACK -> "SUBACK";
            case UNSUBACK -> "UNSUBACK";
            case PINGRESP -> "PINGRESP";
            default -> "type " + type;
        };
    }
}
