package dev.herald.e2e;

import static org.awaitility.Awaitility.await;

import dev.herald.client.PushClient;
import dev.herald.client.PushListener;
import dev.herald.client.PushMessage;
import dev.herald.core.app.DeviceToken;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Many devices of one app, each a real push-client connection given every access node of the suite (in
 * its own order, so they start spread over the nodes) and reconnecting with the SDK's default backoff.
 * Each device counts what its listener received, per message id, for messages whose text starts with
 * {@link #TEXT_PREFIX}; redeliveries the SDK suppressed are counted by the SDK itself.
 */
final class Fleet implements AutoCloseable {

    /** Texts of the fault suite's messages start with this; other messages (old broadcasts) are ignored. */
    static final String TEXT_PREFIX = "fault:";
    private static final byte[] PREFIX_BYTES = TEXT_PREFIX.getBytes(StandardCharsets.UTF_8);

    private final List<Member> members;

    private Fleet(List<Member> members) {
        this.members = List.copyOf(members);
    }

    /** Connects {@code size} devices and waits until every one is connected. */
    static Fleet connect(String appId, String secret, String idPrefix, int size, List<Integer> accessPorts,
                         Duration timeout) {
        Instant tokenExpiry = Instant.now().plus(Duration.ofDays(1));
        List<Member> members = new ArrayList<>(size);
        List<CompletableFuture<Void>> connecting = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            String deviceId = idPrefix + i;
            List<InetSocketAddress> servers = new ArrayList<>(accessPorts.size());
            for (int k = 0; k < accessPorts.size(); k++) {
                // Rotated per device: device i starts on node i mod n and moves on to the next one.
                servers.add(new InetSocketAddress("127.0.0.1", accessPorts.get((i + k) % accessPorts.size())));
            }
            Member member = new Member(i, deviceId);
            member.client = PushClient.builder()
                    .servers(servers)
                    .deviceId(deviceId)
                    .app(appId, DeviceToken.mint(secret, appId, deviceId, tokenExpiry))
                    .listener(member)
                    .build();
            members.add(member);
            connecting.add(member.client.connect());
        }
        Fleet fleet = new Fleet(members);
        try {
            // A first attempt may fail under the connect storm; the client retries by itself.
            await().atMost(timeout).until(() -> fleet.connected() == size);
        } catch (RuntimeException | AssertionError e) {
            fleet.close();
            throw e;
        }
        return fleet;
    }

    int size() {
        return members.size();
    }

    Member member(int index) {
        return members.get(index);
    }

    List<Member> members() {
        return members;
    }

    long connected() {
        return members.stream().filter(m -> m.client.isConnected()).count();
    }

    /** Connected devices per access node port. */
    Map<Integer, Long> connectedPerPort() {
        Map<Integer, Long> perPort = new TreeMap<>();
        for (Member m : members) {
            if (m.client.isConnected()) {
                perPort.merge(m.client.server().getPort(), 1L, Long::sum);
            }
        }
        return perPort;
    }

    /** Redeliveries every device's SDK dropped as already seen, so far. */
    long duplicatesDropped() {
        return members.stream().mapToLong(m -> m.client.duplicatesDropped()).sum();
    }

    @Override
    public void close() {
        members.parallelStream().forEach(m -> m.client.close());
    }

    private record Receipt(String round, AtomicInteger count) {
        Receipt(String round) {
            this(round, new AtomicInteger());
        }
    }

    /** One device of the fleet. */
    static final class Member implements PushListener {

        final int index;
        final String deviceId;
        private final Map<String, Receipt> receipts = new ConcurrentHashMap<>();
        private PushClient client;

        private Member(int index, String deviceId) {
            this.index = index;
            this.deviceId = deviceId;
        }

        @Override
        public void onPush(PushMessage message) {
            if (startsWithPrefix(message.payload())) {
                receipts.computeIfAbsent(message.id().toString(), id -> new Receipt(roundOf(message.text())))
                        .count.incrementAndGet();
            }
        }

        /** How many times the listener got this message (the SDK drops redeliveries, so 0 or 1 is right). */
        int receipts(String messageId) {
            Receipt r = receipts.get(messageId);
            return r == null ? 0 : r.count.get();
        }

        /** Ids of the messages of round {@code round} this device received. */
        Set<String> receivedIds(String round) {
            Set<String> ids = new HashSet<>();
            receipts.forEach((id, r) -> {
                if (r.round.equals(round)) {
                    ids.add(id);
                }
            });
            return ids;
        }

        /** The round's name in a text {@code fault:<round>:<seq>}. */
        private static String roundOf(String text) {
            int end = text.indexOf(':', TEXT_PREFIX.length());
            return end < 0 ? "" : text.substring(TEXT_PREFIX.length(), end);
        }

        PushClient client() {
            return client;
        }

        private static boolean startsWithPrefix(byte[] payload) {
            if (payload.length < PREFIX_BYTES.length) {
                return false;
            }
            for (int i = 0; i < PREFIX_BYTES.length; i++) {
                if (payload[i] != PREFIX_BYTES[i]) {
                    return false;
                }
            }
            return true;
        }
    }
}
