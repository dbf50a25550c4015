package dev.herald.bench.device;

/**
 * TLS on the devices' connections to the access node ({@code --tls}, {@code --ca-file},
 * {@code --tls-server-name}); a plain record so it travels to forked workers and agents with the rest of the
 * run's settings. Host-name verification is always on: the node's certificate must name {@code serverName},
 * or the host of the address a device connects to ({@code 127.0.0.1} needs an IP entry in the certificate's
 * subject alternative names, which herald.sh's and the tests' certificates have).
 *
 * @param enabled whether devices speak TLS (native, WebSocket as {@code wss}, MQTT as {@code mqtts})
 * @param caFile PEM file of the authorities to trust, read where the devices run (each agent's own path);
 *        {@code ""}: the JDK's default trust store
 * @param serverName the name to ask for (SNI) and to verify the certificate against; {@code ""}: the host of the
 *        access node address
 * @param resume whether each device first opens and closes one connection, so that the measured connect resumes
 *        that session (TLS 1.3 with the node's session ticket) instead of making a full handshake
 */
public record DeviceTls(boolean enabled, String caFile, String serverName, boolean resume) {

    /** No TLS: what a run without {@code --tls} uses. */
    public static final DeviceTls PLAINTEXT = new DeviceTls(false, "", "", false);

    public DeviceTls {
        caFile = caFile == null ? "" : caFile.trim();
        serverName = serverName == null ? "" : serverName.trim();
        if (!enabled && !(caFile.isEmpty() && serverName.isEmpty())) {
            throw new IllegalArgumentException("a CA file or server name is given but TLS is off");
        }
        if (!enabled && resume) {
            throw new IllegalArgumentException("session resumption is asked for but TLS is off");
        }
    }

    public DeviceTls(boolean enabled, String caFile, String serverName) {
        this(enabled, caFile, serverName, false);
    }

    /** TLS trusting the authorities in {@code caFile} ({@code ""}: the JDK's), verifying the node's address. */
    public static DeviceTls trusting(String caFile) {
        return new DeviceTls(true, caFile, "");
    }

    /** The same with the certificate verified against {@code name} instead of the address's host. */
    public DeviceTls withServerName(String name) {
        return new DeviceTls(enabled, caFile, name, resume);
    }

    /** The same with a first, unmeasured connection per device whose session the measured one resumes. */
    public DeviceTls resuming() {
        return new DeviceTls(enabled, caFile, serverName, true);
    }
}
