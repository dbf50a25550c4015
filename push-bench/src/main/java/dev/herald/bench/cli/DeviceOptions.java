package dev.herald.bench.cli;

import dev.herald.bench.device.DeviceTls;
import dev.herald.bench.device.Protocol;
import dev.herald.bench.device.SourceAddresses;
import dev.herald.bench.scenario.DeviceSpec;
import java.util.List;
import picocli.CommandLine.Option;

/** Options of the simulated devices, shared by every scenario. */
final class DeviceOptions {

    @Option(names = "--protocol", defaultValue = "native",
            description = "Device protocol: native, websocket (native frames at /ws) or mqtt (MQTT 3.1.1, QoS 1). Default: ${DEFAULT-VALUE}")
    String protocol;

    @Option(names = "--access", split = ",", defaultValue = "127.0.0.1:7070",
            description = "Access node(s) host:port, comma-separated; devices are spread over them. Default: ${DEFAULT-VALUE}")
    List<String> access;

    @Option(names = "--app", defaultValue = "demo", description = "App id. Default: ${DEFAULT-VALUE}")
    String app;

    @Option(names = "--secret", defaultValue = "demo-secret-0123456789",
            description = "App secret: mints device tokens and authenticates to push-api. Default: the demo app's")
    String secret;

    @Option(names = {"-n", "--devices"}, defaultValue = "1000", description = "Simulated devices in the whole run. Default: ${DEFAULT-VALUE}")
    int devices;

    @Option(names = "--device-prefix", defaultValue = "bench-", description = "Device ids are <prefix><index>. Default: ${DEFAULT-VALUE}")
    String devicePrefix;

    @Option(names = "--first-device", defaultValue = "0", description = "Index of the first device. Default: ${DEFAULT-VALUE}")
    int firstDevice;

    @Option(names = "--connect-rate", defaultValue = "1000",
            description = "New connections per second for the whole run; 0 = as fast as --in-flight allows. Default: ${DEFAULT-VALUE}")
    double connectRate;

    @Option(names = "--in-flight", defaultValue = "200", description = "Handshakes in flight at once per process. Default: ${DEFAULT-VALUE}")
    int inFlight;

    @Option(names = "--source-addresses", defaultValue = "",
            description = "Local addresses to bind, round-robin: ranges and lists, e.g. 127.0.0.2-127.0.0.9. Default: any")
    String sourceAddresses;

    @Option(names = "--event-loops", defaultValue = "0", description = "Event loop threads per process; 0 = number of cores")
    int eventLoops;

    @Option(names = "--tls",
            description = "Devices connect over TLS (native over TLS, wss, mqtts), host names verified. Default: plaintext")
    boolean tls;

    @Option(names = "--ca-file", defaultValue = "",
            description = "With --tls: PEM file of the CA(s) to trust, e.g. run/tls/ca.pem of herald.sh. Default: the JDK's trust store")
    String caFile;

    @Option(names = "--tls-server-name", defaultValue = "",
            description = "With --tls: name to verify the node's certificate against (and send as SNI). Default: the host of --access")
    String tlsServerName;

    @Option(names = "--tls-resume",
            description = "With --tls: every device first connects once and closes, then the measured connect resumes that TLS session. Default: full handshakes")
    boolean tlsResume;

    @Option(names = "--connect-timeout", defaultValue = "10", description = "Seconds for TCP connect plus login. Default: ${DEFAULT-VALUE}")
    double connectTimeoutSeconds;

    DeviceSpec spec() {
        Protocol.parse(protocol);
        SourceAddresses.parse(sourceAddresses);
        if (devices < 0 || firstDevice < 0 || inFlight < 1 || connectRate < 0 || connectTimeoutSeconds <= 0) {
            throw new IllegalArgumentException("--devices, --first-device, --connect-rate must be >= 0, --in-flight >= 1, --connect-timeout > 0");
        }
        if (!tls && !(caFile.isEmpty() && tlsServerName.isEmpty()) || !tls && tlsResume) {
            throw new IllegalArgumentException("--ca-file, --tls-server-name and --tls-resume go with --tls");
        }
        int loops = eventLoops > 0 ? eventLoops : Runtime.getRuntime().availableProcessors();
        return new DeviceSpec(protocol, access, app, secret, devicePrefix, devices, firstDevice, connectRate, inFlight,
                sourceAddresses, loops, connectTimeoutSeconds, "", tls ? new DeviceTls(true, caFile, tlsServerName, tlsResume) : DeviceTls.PLAINTEXT);
    }
}
