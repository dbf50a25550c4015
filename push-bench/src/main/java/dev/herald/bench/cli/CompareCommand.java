package dev.herald.bench.cli;

import dev.herald.bench.compare.CompareSettings;
import dev.herald.bench.compare.Comparison;
import dev.herald.bench.compare.HeraldSettings;
import dev.herald.bench.device.SourceAddresses;
import dev.herald.bench.scenario.PushApiClient;
import dev.herald.bench.worker.SocketBudget;
import io.netty.handler.codec.mqtt.MqttQoS;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "compare", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Herald side by side with mosquitto and NATS on this machine: the same devices and scenarios "
                + "(idle memory, connects/s, one broadcast reaching all, bursts, unicast flat out, paced unicast) against "
                + "each, one after the other; prints one markdown table with Herald's ratio to each and writes it "
                + "(and a JSON report) to a file.",
                "mosquitto and nats-server are started here on free ports with generated configurations and stopped "
                        + "after their part (also on failure or Ctrl-C); missing binaries are installed with apt-get when "
                        + "running as root. Herald must already run (deploy/local/herald.sh start)."})
final class CompareCommand implements Callable<Integer> {

    @Option(names = "--targets", split = ",", defaultValue = "herald,mosquitto,nats",
            description = "What to measure, comma-separated: herald, mosquitto, nats. Default: ${DEFAULT-VALUE}")
    List<String> targets;

    @Option(names = {"-n", "--devices"}, defaultValue = "10000",
            description = "Devices held through every scenario. Default: ${DEFAULT-VALUE}")
    int devices;

    @Option(names = "--memory-devices", defaultValue = "19000",
            description = "Second idle-memory reading at this many connections (more devices join, then leave before the traffic); <= --devices skips it. Default: ${DEFAULT-VALUE}")
    int memoryDevices;

    @Option(names = "--in-flight", defaultValue = "200", description = "Handshakes in flight at once (connects are not paced). Default: ${DEFAULT-VALUE}")
    int inFlight;

    @Option(names = "--broadcasts", defaultValue = "10", description = "Broadcasts one at a time, each awaited until all devices have it. Default: ${DEFAULT-VALUE}")
    int broadcasts;

    @Option(names = "--bursts", defaultValue = "100", description = "Broadcasts sent at once. Default: ${DEFAULT-VALUE}")
    int bursts;

    @Option(names = "--unicast-seconds", defaultValue = "10", description = "Seconds of unicast flat out. Default: ${DEFAULT-VALUE}")
    double unicastSeconds;

    @Option(names = "--window", defaultValue = "10000",
            description = "Flat out = at most this many unicasts sent and not yet delivered (also the MQTT publisher's QoS 1 in-flight limit). Default: ${DEFAULT-VALUE}")
    int window;

    @Option(names = "--paced-rate", defaultValue = "2000", description = "Unicasts per second of the paced run. Default: ${DEFAULT-VALUE}")
    double pacedRate;

    @Option(names = "--paced-seconds", defaultValue = "10", description = "Seconds of the paced run. Default: ${DEFAULT-VALUE}")
    double pacedSeconds;

    @Option(names = "--payload-bytes", defaultValue = "100", description = "Payload size (at least 28: the send stamp). Default: ${DEFAULT-VALUE}")
    int payloadBytes;

    @Option(names = "--mqtt-qos", defaultValue = "1", description = "mosquitto: QoS of subscriptions and publishes, 0 or 1. Default: ${DEFAULT-VALUE}")
    int mqttQos;

    @Option(names = "--device-prefix", defaultValue = "cmp-", description = "Device ids are <prefix><index>. Default: ${DEFAULT-VALUE}")
    String devicePrefix;

    @Option(names = "--event-loops", defaultValue = "0", description = "Event loop threads of the devices; 0 = number of cores")
    int eventLoops;

    @Option(names = "--connect-timeout", defaultValue = "10", description = "Seconds for TCP connect plus login. Default: ${DEFAULT-VALUE}")
    double connectTimeoutSeconds;

    @Option(names = "--source-addresses", defaultValue = "",
            description = "Local addresses to bind devices to, round-robin, e.g. 127.0.0.2-127.0.0.9. Default: any")
    String sourceAddresses;

    @Option(names = "--drain", defaultValue = "60",
            description = "Longest wait in seconds for one scenario's deliveries (ends sooner after 5 s without any). Default: ${DEFAULT-VALUE}")
    double drainSeconds;

    @Option(names = "--settle", defaultValue = "1", description = "Seconds between connecting and reading memory. Default: ${DEFAULT-VALUE}")
    double settleSeconds;

    @Option(names = "--out", description = "Markdown file for the table, or a directory to write push-bench-compare-<time>.md into (a .json report is written beside it). Default: push-bench-compare-<time>.md")
    Path out;

    @Option(names = "--work-dir", description = "Where mosquitto's and nats-server's configuration and logs go. Default: a new temporary directory")
    Path workDir;

    @Option(names = "--herald-api", defaultValue = "http://127.0.0.1:8080", description = "Herald's push-api. Default: ${DEFAULT-VALUE}")
    String heraldApi;

    @Option(names = "--herald-access", split = ",", defaultValue = "127.0.0.1:7070,127.0.0.1:7071",
            description = "Herald's access nodes (native protocol); devices are spread over them. Default: ${DEFAULT-VALUE}")
    List<String> heraldAccess;

    @Option(names = "--herald-pids", split = ",",
            description = "Pids of the access nodes for RSS. Default: found from the --herald-access ports (/proc, same machine)")
    List<Long> heraldPids = List.of();

    @Option(names = "--herald-redis-port", defaultValue = "6390",
            description = "Herald's Redis on 127.0.0.1, for Redis commands per unicast (INFO commandstats); 0 = not measured. Default: ${DEFAULT-VALUE}")
    int heraldRedisPort;

    @Option(names = "--herald-app", defaultValue = "demo", description = "App id. Default: ${DEFAULT-VALUE}")
    String heraldApp;

    @Option(names = "--herald-key", defaultValue = "demo-key", description = "App key. Default: ${DEFAULT-VALUE}")
    String heraldKey;

    @Option(names = "--herald-secret", defaultValue = "demo-secret-0123456789",
            description = "App secret: signs requests and mints device tokens. Default: the demo app's")
    String heraldSecret;

    @Option(names = "--herald-api-auth", defaultValue = "signed", description = "signed (HERALD-HMAC-SHA256) or basic. Default: ${DEFAULT-VALUE}")
    String heraldApiAuth;

    @Option(names = "--herald-batch", defaultValue = "200", description = "Unicasts per POST .../messages/batch. Default: ${DEFAULT-VALUE}")
    int heraldBatch;

    @Option(names = "--herald-linger", defaultValue = "5", description = "Milliseconds a partial batch waits for more unicasts. Default: ${DEFAULT-VALUE}")
    double heraldLingerMillis;

    @Option(names = "--herald-concurrency", defaultValue = "16", description = "push-api requests in flight. Default: ${DEFAULT-VALUE}")
    int heraldConcurrency;

    @Option(names = "--herald-offline", defaultValue = "true", arity = "1",
            description = "Unicasts with offline=true (stored before delivery: the durable path). Default: ${DEFAULT-VALUE}")
    boolean heraldOffline;

    @Override
    public Integer call() throws IOException {
        List<String> chosen = Comparison.parseTargets(targets);
        if (mqttQos != 0 && mqttQos != 1) {
            throw new IllegalArgumentException("--mqtt-qos must be 0 or 1");
        }
        if (heraldBatch < 1 || heraldConcurrency < 1 || heraldLingerMillis < 0 || drainSeconds <= 0 || settleSeconds < 0
                || connectTimeoutSeconds <= 0) {
            throw new IllegalArgumentException("--herald-batch and --herald-concurrency must be >= 1, --herald-linger and "
                    + "--settle >= 0, --drain and --connect-timeout > 0");
        }
        PushApiClient.Auth auth;
        try {
            auth = PushApiClient.Auth.valueOf(heraldApiAuth.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown --herald-api-auth '" + heraldApiAuth + "': use signed or basic");
        }
        CompareSettings settings = new CompareSettings(devices, memoryDevices, devicePrefix, inFlight,
                eventLoops > 0 ? eventLoops : Runtime.getRuntime().availableProcessors(), millis(connectTimeoutSeconds * 1000),
                sourceAddresses, payloadBytes, broadcasts, bursts, unicastSeconds, window, pacedRate, pacedSeconds,
                millis(drainSeconds * 1000), millis(settleSeconds * 1000));
        SourceAddresses.parse(sourceAddresses);
        SocketBudget.check(Math.max(devices, memoryDevices), 1);
        HeraldSettings herald = new HeraldSettings(heraldApi, heraldAccess, heraldApp, heraldKey, heraldSecret, auth,
                heraldRedisPort, heraldPids == null ? List.of() : heraldPids, heraldBatch, millis(heraldLingerMillis),
                heraldConcurrency, heraldOffline, 300);
        Path dir = workDir != null ? Files.createDirectories(workDir) : Files.createTempDirectory("push-bench-compare");
        Path table = tableFile(out, LocalDateTime.now());

        Comparison.Outcome outcome = Comparison.run(settings, herald, chosen, MqttQoS.valueOf(mqttQos), dir, System.out);

        Path parent = table.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(table, outcome.markdown());
        Path json = table.resolveSibling(stripExtension(table.getFileName().toString()) + ".json");
        Files.writeString(json, outcome.json() + "\n");
        System.out.println();
        System.out.print(outcome.markdown());
        System.out.println();
        System.out.println("table: " + table.toAbsolutePath() + ", report: " + json.toAbsolutePath() + ", server logs: " + dir);
        return outcome.complete() ? 0 : 1;
    }

    /**
     * Where the table goes: {@code out} itself, or inside it when it is a directory (decided before the run, which
     * takes minutes: a directory given as {@code --out} once made the run fail only when it wrote the table).
     */
    static Path tableFile(Path out, LocalDateTime now) {
        String name = "push-bench-compare-" + now.format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + ".md";
        if (out == null) {
            return Path.of(name);
        }
        return Files.isDirectory(out) ? out.resolve(name) : out;
    }

    private static Duration millis(double millis) {
        return Duration.ofNanos((long) (millis * 1e6));
    }

    private static String stripExtension(String name) {
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }
}
