package dev.herald.access.fuzz;

import dev.herald.protocol.fuzz.Mutations;
import dev.herald.protocol.fuzz.ValidFrames;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Client byte streams for MQTT 3.1.1: a CONNECT (mostly accepted; otherwise refused in each documented
 * way: protocol level, will flag, client id, user name or password) and the packets a device sends
 * after it: SUBSCRIBE to its own and others' topics at QoS 0 to 2, UNSUBSCRIBE, PUBLISH of uplinks at
 * QoS 0 and 1, PUBACK, PINGREQ, DISCONNECT. A valid stream comes with the packets the mapping promises
 * in answer (docs/protocol.md, "MQTT 3.1.1 mapping"). Hostile streams add what breaks MQTT decoders:
 * remaining lengths at the edges of their 1- to 4-byte forms and over the packet limit, a fifth length
 * byte, reserved packet types, wrong fixed-header flags, QoS 3, packets before CONNECT, a second CONNECT,
 * topics with wildcards, NUL or invalid UTF-8, retained and QoS 2 publishes, byte-level mutations, and
 * random bytes.
 */
final class MqttStreams {

    private final FuzzedNode node;
    private final Mutations mutations = new Mutations(127, 128, 16383, 16384, 2097151, 2097152, 268435455,
            FuzzedNode.MAX_FRAME_BYTES, 23, 65535);

    MqttStreams(FuzzedNode node) {
        this.node = node;
    }

    /** A packet the server sends in answer: type (see {@link MqttReplies}), packet id, return codes. */
    record Answer(int type, int packetId, int[] codes) {
    }

    /**
     * @param bytes    what the client sends
     * @param expected the answers of a valid stream, in order; {@code null} when hostile
     * @param ends     whether the client ends the conversation itself (DISCONNECT, or a refused CONNECT)
     */
    record Stream(byte[] bytes, List<Answer> expected, boolean ends) {
    }

    Stream next(SplittableRandom random) {
        boolean hostile = random.nextInt(3) != 0;
        List<byte[]> packets = new ArrayList<>();
        List<Answer> expected = new ArrayList<>();
        boolean ended = false;
        int refusal = random.nextInt(10) < 7 ? 0 : new int[] {1, 2, 4, 5, 6}[random.nextInt(5)];
        boolean bothApps = refusal == 0 && random.nextInt(6) == 0;
        packets.add(connect(random, refusal, bothApps));
        expected.add(new Answer(MqttReplies.CONNACK, -1, new int[] {refusal == 6 ? 4 : refusal}));
        ended = refusal != 0;
        for (int i = random.nextInt(10); i > 0 && !ended; i--) {
            if (hostile && random.nextInt(4) == 0) {
                packets.add(hostilePacket(random));
                continue;
            }
            int id = 1 + random.nextInt(0xFFFF);
            switch (random.nextInt(12)) {
                case 0, 1, 2 -> {
                    List<String> topics = new ArrayList<>();
                    List<Integer> qos = new ArrayList<>();
                    int[] granted = new int[1 + random.nextInt(3)];
                    for (int t = 0; t < granted.length; t++) {
                        String topic = switch (random.nextInt(5)) {
                            case 0, 1 -> "herald/" + FuzzedNode.APP + "/devices/" + Logins.DEVICE;
                            case 2 -> "herald/" + FuzzedNode.APP + "/broadcast";
                            case 3 -> "herald/" + FuzzedNode.OTHER_APP + "/devices/" + Logins.DEVICE; // logged in or not
                            default -> random.nextBoolean() ? "herald/+/broadcast" : "herald/demo/devices/someone-else";
                        };
                        int q = random.nextInt(3);
                        topics.add(topic);
                        qos.add(q);
                        boolean own = (topic.startsWith("herald/" + FuzzedNode.APP + "/")
                                || bothApps && topic.startsWith("herald/" + FuzzedNode.OTHER_APP + "/"))
                                && !topic.endsWith("someone-else");
                        granted[t] = own ? Math.min(q, 1) : 0x80;
                    }
                    packets.add(subscribe(id, topics, qos));
                    expected.add(new Answer(MqttReplies.SUBACK, id, granted));
                }
                case 3 -> {
                    packets.add(unsubscribe(id, List.of("herald/" + FuzzedNode.APP + "/broadcast")));
                    expected.add(new Answer(MqttReplies.UNSUBACK, id, null));
                }
                case 4, 5 -> {
                    packets.add(publish("herald/" + FuzzedNode.APP + "/up", 1, false, id,
                            Mutations.randomBytes(random, 1 + random.nextInt(FuzzedNode.MAX_FRAME_BYTES / 2))));
                    expected.add(new Answer(MqttReplies.PUBACK, id, null));
                }
                case 6 -> packets.add(publish("herald/" + FuzzedNode.APP + "/up", 0, false, 0,
                        Mutations.randomBytes(random, 1 + random.nextInt(256))));
                case 7 -> packets.add(new byte[] {0x40, 2, (byte) (id >> 8), (byte) id}); // PUBACK of nothing in flight
                case 8, 9, 10 -> {
                    packets.add(new byte[] {(byte) 0xC0, 0});
                    expected.add(new Answer(MqttReplies.PINGRESP, -1, null));
                }
                default -> {
                    if (random.nextInt(4) == 0) {
                        packets.add(new byte[] {(byte) 0xE0, 0});
                        ended = true;
                    } else {
                        packets.add(new byte[] {(byte) 0xC0, 0});
                        expected.add(new Answer(MqttReplies.PINGRESP, -1, null));
                    }
                }
            }
        }
        byte[] bytes = Mutations.concat(packets.toArray(byte[][]::new));
        if (hostile && random.nextInt(3) == 0) {
            bytes = random.nextInt(5) == 0 ? Mutations.concat(new byte[] {0x10}, Mutations.randomBytes(random, random.nextInt(FuzzedNode.MAX_FRAME_BYTES)))
                    : mutations.mutate(random, bytes, hostilePacket(random));
        }
        return new Stream(bytes, hostile ? null : expected, ended);
    }

    /**
     * A CONNECT; {@code refusal} picks how it is refused: 0 accepted, 1 protocol level 3, 2 a client id
     * that is no device id, 4 a bad user name or password, 5 the will flag, 6 no user name at all.
     * {@code bothApps}: logs in to both apps.
     */
    byte[] connect(SplittableRandom random, int refusal, boolean bothApps) {
        String clientId = refusal == 2 ? (random.nextBoolean() ? "no spaces allowed" : "x".repeat(129)) : Logins.DEVICE;
        String app = refusal == 4 && random.nextBoolean() ? "nope" : FuzzedNode.APP;
        String password = refusal == 4 ? node.token("another-device") : node.token(Logins.DEVICE);
        if (bothApps) {
            app = FuzzedNode.APP + "," + FuzzedNode.OTHER_APP;
            password = node.token(Logins.DEVICE) + "," + node.otherToken(Logins.DEVICE);
        }
        int flags = 0xC0 | (random.nextBoolean() ? 0x02 : 0); // user name, password, maybe clean session
        if (refusal == 5) {
            flags |= 0x04 | (random.nextInt(2) << 3); // will flag, will QoS 0 or 1
        }
        if (refusal == 6) {
            flags &= ~0xC0;
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (refusal == 1) {
            writeString(body, "MQIsdp");
            body.write(3);
        } else {
            writeString(body, "MQTT");
            body.write(4);
        }
        body.write(flags);
        int keepAlive = random.nextInt(4) == 0 ? 0 : random.nextInt(0x10000);
        body.write(keepAlive >> 8);
        body.write(keepAlive);
        writeString(body, clientId);
        if ((flags & 0x04) != 0) {
            writeString(body, "herald/" + FuzzedNode.APP + "/up");
            writeString(body, "gone");
        }
        if ((flags & 0x80) != 0) {
            writeString(body, app);
        }
        if ((flags & 0x40) != 0) {
            writeString(body, password);
        }
        return packet(0x10, body.toByteArray());
    }

    private byte[] hostilePacket(SplittableRandom random) {
        return switch (random.nextInt(12)) {
            case 0 -> connect(random, 0, false); // a second CONNECT
            case 1 -> packet(random.nextBoolean() ? 0x00 : 0xF0, Mutations.randomBytes(random, random.nextInt(8))); // reserved types
            case 2 -> packet(0x80, Mutations.randomBytes(random, 6)); // SUBSCRIBE without its 0x02 flags
            case 3 -> publish("herald/" + FuzzedNode.APP + "/up", 3, false, 1, new byte[] {1}); // QoS 3
            case 4 -> publish("herald/" + FuzzedNode.APP + "/up", random.nextInt(3), true, 1, new byte[] {1}); // retained
            case 5 -> publish("herald/" + FuzzedNode.APP + "/up", 2, false, 7, new byte[] {1}); // QoS 2
            case 6 -> publish(random.nextBoolean() ? "herald/#" : "herald/" + FuzzedNode.APP + "/devices/" + Logins.DEVICE,
                    1, false, 9, new byte[] {1}); // not an uplink topic
            case 7 -> subscribe(1, List.of(random.nextBoolean() ? "a\u0000b" : ValidFrames.string(random, 64)), List.of(1));
            case 8 -> subscribe(1, List.of(), List.of()); // no topic at all
            case 9 -> { // a remaining length at an edge, with too few or too many bytes after it
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                out.write(0x30);
                writeLength(out, (int) Math.min(mutations.boundary(random) & 0x0FFFFFFF, 268_435_455));
                out.writeBytes(Mutations.randomBytes(random, random.nextInt(64)));
                yield out.toByteArray();
            }
            case 10 -> new byte[] {(byte) 0xC0, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x01}; // five length bytes
            default -> publish("herald/" + FuzzedNode.APP + "/up", 1, false, 5,
                    Mutations.randomBytes(random, FuzzedNode.MAX_FRAME_BYTES + random.nextInt(64))); // over the limit
        };
    }

    static byte[] subscribe(int id, List<String> topics, List<Integer> qos) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(id >> 8);
        body.write(id);
        for (int i = 0; i < topics.size(); i++) {
            writeString(body, topics.get(i));
            body.write(qos.get(i));
        }
        return packet(0x82, body.toByteArray());
    }

    static byte[] unsubscribe(int id, List<String> topics) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(id >> 8);
        body.write(id);
        topics.forEach(topic -> writeString(body, topic));
        return packet(0xA2, body.toByteArray());
    }

    static byte[] publish(String topic, int qos, boolean retain, int id, byte[] payload) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        writeString(body, topic);
        if (qos > 0) {
            body.write(id >> 8);
            body.write(id);
        }
        body.writeBytes(payload);
        return packet(0x30 | (qos << 1) | (retain ? 1 : 0), body.toByteArray());
    }

    static byte[] packet(int first, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 5);
        out.write(first);
        writeLength(out, body.length);
        out.writeBytes(body);
        return out.toByteArray();
    }

    private static void writeLength(ByteArrayOutputStream out, int length) {
        do {
            int digit = length & 0x7F;
            length >>>= 7;
            out.write(length > 0 ? digit | 0x80 : digit);
        } while (length > 0);
    }

    private static void writeString(ByteArrayOutputStream out, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        out.write(bytes.length >> 8);
        out.write(bytes.length);
        out.writeBytes(bytes);
    }
}
