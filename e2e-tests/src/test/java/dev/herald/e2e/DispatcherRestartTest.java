package dev.herald.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The intake is durable: a dispatcher that dies between send and delivery loses no offline-flagged message. */
@ExtendWith(HeraldSuite.class)
class DispatcherRestartTest {

    private static final Duration DELIVERY = Duration.ofSeconds(60);

    @Test
    void messagesSentWhileTheDispatcherIsDeadAreDeliveredAfterItRestarts() {
        HeraldSuite suite = HeraldSuite.get();
        PushApi api = new PushApi(suite.api.baseUrl(), HeraldSuite.APP, HeraldSuite.APP_KEY, HeraldSuite.APP_SECRET);
        String onlineId = "dev-" + UUID.randomUUID();
        String awayId = "dev-" + UUID.randomUUID();
        try (Device online = new Device(onlineId, api.token(onlineId)).connect(suite.access1Port);
             Device away = new Device(awayId, api.token(awayId))) {
            List<String> sent = new ArrayList<>();

            suite.dispatcher.kill();
            for (int i = 0; i < 20; i++) {
                sent.add(api.accepted("{\"deviceIds\":[\"" + onlineId + "\",\"" + awayId + "\"],\"text\":\"while-dead-" + i
                        + "\",\"offline\":true}"));
            }
            suite.dispatcher.restart(HeraldSuite.READY);

            await().atMost(DELIVERY).until(() -> sent.stream().allMatch(id -> online.count(id) == 1));
            away.connect(suite.access2Port);
            await().atMost(DELIVERY).until(() -> sent.stream().allMatch(id -> away.count(id) == 1));
        }
    }

    @Test
    void killingTheDispatcherMidLoadLosesNoOfflineMessage() {
        HeraldSuite suite = HeraldSuite.get();
        PushApi api = new PushApi(suite.api.baseUrl(), HeraldSuite.APP, HeraldSuite.APP_KEY, HeraldSuite.APP_SECRET);
        String deviceId = "dev-" + UUID.randomUUID();
        try (Device device = new Device(deviceId, api.token(deviceId)).connect(suite.access2Port)) {
            List<String> sent = new ArrayList<>();
            int total = 300;
            AtomicInteger next = new AtomicInteger();
            while (next.get() < total / 3) {
                sent.add(api.accepted(load(deviceId, next.getAndIncrement())));
            }
            suite.dispatcher.kill();
            // Nothing dispatches now: once the oldest queued message waits past herald.api.backlog.max-age,
            // push-api refuses further sends instead of queueing work nobody delivers.
            PushApi.Reply refused = await().atMost(DELIVERY).until(() -> {
                PushApi.Reply reply = api.send(load(deviceId, next.get()));
                if (reply.status() == 202) {
                    sent.add(reply.text("id"));
                    next.incrementAndGet();
                }
                return reply;
            }, reply -> reply.status() == 503);
            assertThat(refused.text("code")).isEqualTo("BACKLOG_FULL");
            assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");

            CompletableFuture<Void> restarted = CompletableFuture.runAsync(() -> suite.dispatcher.restart(HeraldSuite.READY));
            // Sent again after Retry-After until the restarted dispatcher has caught up.
            while (next.get() < total) {
                sent.add(api.accepted(load(deviceId, next.getAndIncrement())));
            }
            assertThat(restarted).succeedsWithin(HeraldSuite.READY);

            await().atMost(DELIVERY).until(() -> sent.stream().allMatch(id -> device.count(id) >= 1));
            Map<String, Long> perId = device.received().stream()
                    .collect(Collectors.groupingBy(m -> m.id().toString(), Collectors.counting()));
            // The client suppresses duplicates by id, so the listener sees each message exactly once.
            assertThat(sent).allMatch(id -> perId.get(id) == 1L);
            long delivered = sent.stream().filter(perId::containsKey).count();
            long duplicates = sent.stream().filter(perId::containsKey).mapToLong(id -> perId.get(id) - 1).sum();
            System.out.printf("dispatcher kill -9 mid-load: sent=%d delivered=%d duplicates=%d lost=%d%n",
                    sent.size(), delivered, duplicates, sent.size() - delivered);
        }
    }

    private static String load(String deviceId, int i) {
        return "{\"deviceId\":\"" + deviceId + "\",\"text\":\"load-" + i + "\",\"offline\":true}";
    }

}
