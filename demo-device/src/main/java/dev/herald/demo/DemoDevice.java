package dev.herald.demo;

import dev.herald.client.PushClient;
import dev.herald.client.PushListener;
import dev.herald.client.PushMessage;
import dev.herald.client.RoomMessage;
import dev.herald.protocol.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalTime;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The device of the local demo: connects to an access node with a device token and prints every push
 * it receives, one line each, until interrupted.
 *
 * <pre>java -jar demo-device-exec.jar --host=127.0.0.1 --port=7070 --app=demo --device=phone-1 --token=v1....</pre>
 *
 * With {@code --room=R} it also joins chat room R (again after each reconnect) and prints its messages.
 *
 * With {@code --uplink=TEXT} it also sends TEXT as an uplink to the app once connected (it reaches the
 * app's callback URL).
 *
 * <p>With {@code --hold=N --secret=S} it instead opens N connections and holds them (a capacity probe); with
 * {@code --receive-uplinks=PORT --secret=S} it is the app server's side instead: an HTTP endpoint for the
 * app's callback URL that verifies each uplink callback's signature and prints it ({@link UplinkReceiver}).
 */
public final class DemoDevice {

    private DemoDevice() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new HashMap<>(Map.of("host", "127.0.0.1", "port", "7070", "app", "demo"));
        for (String arg : args) {
            if (!arg.startsWith("--") || !arg.contains("=")) {
                System.err.println("usage: --host=H --port=P --app=APP --device=ID --token=TOKEN [--room=R] [--uplink=TEXT]");
                System.exit(2);
            }
            opts.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
        }
        if (opts.containsKey("hold")) {
            HoldConnections.run(opts);
            return;
        }
        if (opts.containsKey("receive-uplinks")) {
            UplinkReceiver.run(opts);
            return;
        }
        if (!opts.containsKey("device") || !opts.containsKey("token")) {
            System.err.println("--device and --token are required (mint a token: POST /v1/apps/{app}/device-tokens)");
            System.exit(2);
        }
        CountDownLatch done = new CountDownLatch(1);
        PushClient client = PushClient.builder()
                .server(opts.get("host"), Integer.parseInt(opts.get("port")))
                .deviceId(opts.get("device"))
                .app(opts.get("app"), opts.get("token"))
                .reconnect(Duration.ofMillis(500), Duration.ofSeconds(10))
                .listener(new PushListener() {
                    @Override
                    public void onConnected() {
                        System.out.println(LocalTime.now() + " connected as " + opts.get("device") + " to "
                                + opts.get("host") + ":" + opts.get("port"));
                    }

                    @Override
                    public void onPush(PushMessage m) {
                        System.out.println(LocalTime.now() + " PUSH " + m.id() + " app=" + m.appId()
                                + (m.broadcast() ? " broadcast#" + m.broadcastSeq() : " unicast")
                                + (m.replay() ? " (stored while offline)" : "") + ": " + m.text());
                    }

                    @Override
                    public void onRoomMessage(RoomMessage m) {
                        System.out.println(LocalTime.now() + " ROOM " + m.roomId() + " #" + m.roomSeq() + " from "
                                + (m.senderId().isEmpty() ? "the app" : m.senderId()) + (m.history() ? " (history)" : "")
                                + ": " + m.text());
                    }

                    @Override
                    public void onDisconnected(ErrorCode reason, String message) {
                        System.out.println(LocalTime.now() + " disconnected" + (reason == null ? "" : ": " + reason + " " + message));
                    }
                })
                .build();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            client.close();
            done.countDown();
        }));
        client.connect().whenComplete((ok, error) -> {
            if (error != null) {
                System.out.println("connect failed: " + error.getMessage());
                return;
            }
            if (opts.containsKey("room")) {
                // Joined once here; the client joins again by itself after a reconnect.
                client.join(opts.get("app"), opts.get("room")).whenComplete((joined, failed) -> System.out.println(
                        failed == null ? LocalTime.now() + " joined room " + joined.roomId() + " (" + joined.memberCount()
                                + " members)" : "join failed: " + failed.getMessage()));
            }
            if (opts.containsKey("uplink")) {
                String text = opts.get("uplink");
                client.uplink(opts.get("app"), text.getBytes(StandardCharsets.UTF_8)).whenComplete((id, failed) ->
                        System.out.println(failed == null
                                ? LocalTime.now() + " UPLINK " + id + " sent and stored by Herald: " + text
                                : "uplink refused: " + failed.getMessage()));
            }
        });
        done.await();
    }
}
