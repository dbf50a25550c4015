package dev.herald.demo;

import dev.herald.client.PushClient;
import dev.herald.core.app.DeviceToken;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A quick capacity probe until push-bench exists: opens N device connections to one access node (tokens
 * minted locally with the app secret), reports the connect rate, and holds them until interrupted, so
 * the access node's memory per connection can be read (see docs/performance.md).
 */
final class HoldConnections {

    private HoldConnections() {
    }

    static void run(Map<String, String> opts) throws InterruptedException {
        int n = Integer.parseInt(opts.get("hold"));
        String secret = opts.get("secret");
        if (secret == null) {
            System.err.println("--hold needs --secret=<app secret> to mint device tokens");
            System.exit(2);
        }
        String app = opts.get("app");
        String host = opts.get("host");
        int port = Integer.parseInt(opts.get("port"));
        String prefix = opts.getOrDefault("prefix", "hold-");
        int inFlight = Integer.parseInt(opts.getOrDefault("in-flight", "200"));
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        List<PushClient> clients = new ArrayList<>(n);
        Semaphore window = new Semaphore(inFlight);
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        CountDownLatch all = new CountDownLatch(n);
        Instant expiry = Instant.now().plus(Duration.ofDays(1));
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            String device = prefix + i;
            PushClient client = PushClient.builder()
                    .server(host, port)
                    .deviceId(device)
                    .app(app, DeviceToken.mint(secret, app, device, expiry))
                    .eventLoopGroup(group)
                    .dedupWindow(16)
                    .reconnect(false)
                    .build();
            clients.add(client);
            window.acquire();
            client.connect().whenComplete((v, e) -> {
                (e == null ? ok : failed).incrementAndGet();
                window.release();
                all.countDown();
            });
        }
        all.await();
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("connected %d of %d in %.1f s (%.0f connects/s), %d failed; holding until Ctrl-C%n",
                ok.get(), n, seconds, ok.get() / seconds, failed.get());
        CountDownLatch forever = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            clients.forEach(PushClient::close);
            group.shutdownGracefully();
            forever.countDown();
        }));
        forever.await();
    }
}
