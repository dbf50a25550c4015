package dev.herald.e2e;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A steady stream of pushes to a {@link Fleet} through push-api, at a fixed rate from a few sender
 * threads, for one fault at a time ({@link Round}). Most messages are unicasts to a random device; a
 * share of them are online-only; every {@code broadcastEvery}-th message is an offline-flagged broadcast
 * to the whole app. A message counts as sent only when push-api answered 202; refused requests (5xx while
 * push-api or Redis is down) and requests without an answer are counted apart and never expected.
 */
final class SteadyLoad {

    /** Synchronous senders per 10 msg/s of rate (at least 8): a request may take 100 ms on a busy machine. */
    private static final int MIN_SENDERS = 8;
    private static final int TTL_SECONDS = 900;

    private final PushApi api;
    private final Fleet fleet;
    private final FaultSettings settings;

    SteadyLoad(PushApi api, Fleet fleet, FaultSettings settings) {
        this.api = api;
        this.fleet = fleet;
        this.settings = settings;
    }

    /** Starts sending for the fault {@code name}; {@link Round#close()} stops. */
    Round start(String name, long seed) {
        Round round = new Round(name, seed);
        round.startSenders();
        return round;
    }

    /** A message push-api accepted. {@code device} is the fleet index of a unicast's target, -1 for a broadcast. */
    record Sent(String id, long seq, boolean broadcast, boolean offline, int device, long acceptedAtNanos) {
    }

    /** The load during one fault: what was sent, refused or left unanswered. */
    final class Round implements AutoCloseable {

        final String name;
        private final long seed;
        private final ConcurrentLinkedQueue<Sent> sent = new ConcurrentLinkedQueue<>();
        private final AtomicLong accepted = new AtomicLong();
        private final AtomicLong unanswered = new AtomicLong();
        private final Map<Integer, AtomicLong> refusedByStatus = new ConcurrentHashMap<>();
        private final AtomicLong seqs = new AtomicLong();
        private final AtomicLong nextSlot = new AtomicLong();
        private final long intervalNanos;
        private final List<Thread> senders = new ArrayList<>();
        private final long duplicatesAtStart;
        private volatile boolean running = true;

        private Round(String name, long seed) {
            this.name = name;
            this.seed = seed;
            this.intervalNanos = TimeUnit.SECONDS.toNanos(1) / settings.messagesPerSecond();
            this.duplicatesAtStart = fleet.duplicatesDropped();
        }

        private void startSenders() {
            int threads = Math.max(MIN_SENDERS, settings.messagesPerSecond() / 10);
            for (int i = 0; i < threads; i++) {
                SplittableRandom random = new SplittableRandom(seed * 31 + i);
                Thread t = new Thread(() -> send(random), "fault-load-" + i);
                t.setDaemon(true);
                senders.add(t);
                t.start();
            }
        }

        private void send(SplittableRandom random) {
            while (running) {
                awaitSlot();
                if (!running) {
                    return;
                }
                long seq = seqs.incrementAndGet();
                boolean broadcast = seq % settings.broadcastEvery() == 0;
                int device = broadcast ? -1 : random.nextInt(fleet.size());
                boolean offline = broadcast || random.nextDouble() >= settings.onlineOnlyShare();
                String text = Fleet.TEXT_PREFIX + name + ":" + seq;
                String json = broadcast
                        ? "{\"broadcast\":true,\"text\":\"" + text + "\",\"offline\":true,\"ttlSeconds\":" + TTL_SECONDS + "}"
                        : "{\"deviceId\":\"" + fleet.member(device).deviceId + "\",\"text\":\"" + text + "\",\"offline\":"
                                + offline + ",\"ttlSeconds\":" + TTL_SECONDS + "}";
                try {
                    PushApi.Reply reply = api.send(json);
                    if (reply.status() == 202) {
                        sent.add(new Sent(reply.text("id"), seq, broadcast, offline, device, System.nanoTime()));
                        accepted.incrementAndGet();
                    } else {
                        refusedByStatus.computeIfAbsent(reply.status(), s -> new AtomicLong()).incrementAndGet();
                    }
                } catch (RuntimeException e) {
                    // No answer (connection refused, reset or timed out): the message may or may not exist.
                    unanswered.incrementAndGet();
                }
            }
        }

        /** Paces the senders to the rate; a stall (push-api down) is not made up for with a burst afterwards. */
        private void awaitSlot() {
            long now = System.nanoTime();
            long slot = nextSlot.updateAndGet(previous -> Math.max(previous, now) + intervalNanos) - intervalNanos;
            long wait = slot - now;
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
        }

        /**
         * Lets the load run for {@code duration} more. The rate is a target: a busy machine may accept fewer,
         * and the counts show what was sent. At least one message must be accepted meanwhile (unless push-api
         * or Redis is down, which the fault itself waits out).
         */
        void runFor(Duration duration) {
            long until = System.nanoTime() + duration.toNanos();
            long before = accepted.get();
            await().atMost(duration.plusSeconds(30)).until(() -> System.nanoTime() >= until && accepted.get() > before);
        }

        long accepted() {
            return accepted.get();
        }

        List<Sent> sent() {
            return List.copyOf(sent);
        }

        long unanswered() {
            return unanswered.get();
        }

        long refused() {
            return refusedByStatus.values().stream().mapToLong(AtomicLong::get).sum();
        }

        Map<Integer, Long> refusedByStatus() {
            Map<Integer, Long> copy = new TreeMap<>();
            refusedByStatus.forEach((status, n) -> copy.put(status, n.get()));
            return copy;
        }

        /** Redeliveries the fleet's SDKs dropped since the round started. */
        long duplicatesDropped() {
            return fleet.duplicatesDropped() - duplicatesAtStart;
        }

        /** Stops sending; returns once every sender has its last answer. */
        @Override
        public void close() {
            running = false;
            for (Thread t : senders) {
                try {
                    t.join(TimeUnit.SECONDS.toMillis(20));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
