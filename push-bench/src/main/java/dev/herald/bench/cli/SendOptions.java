package dev.herald.bench.cli;

import dev.herald.bench.scenario.PushApiClient;
import java.util.Locale;
import picocli.CommandLine.Option;

/** Options of sending through push-api, shared by broadcast and unicast. */
final class SendOptions {

    @Option(names = "--api", defaultValue = "http://127.0.0.1:8080", description = "push-api base URL. Default: ${DEFAULT-VALUE}")
    String api;

    @Option(names = "--key", defaultValue = "demo-key", description = "App key; --secret signs the requests (or is the HTTP Basic password). Default: ${DEFAULT-VALUE}")
    String key;

    @Option(names = "--api-auth", defaultValue = "signed",
            description = "How requests to push-api authenticate: signed (HERALD-HMAC-SHA256, works everywhere) or "
                    + "basic (HTTP Basic, only where herald.api.auth.basic-enabled). Default: ${DEFAULT-VALUE}")
    String apiAuth;

    @Option(names = "--payload-bytes", defaultValue = "64", description = "Payload size (at least 28: the send stamp). Default: ${DEFAULT-VALUE}")
    int payloadBytes;

    @Option(names = "--offline", defaultValue = "false",
            description = "Send with offline=true (stored for offline devices before delivery). Default: ${DEFAULT-VALUE}")
    boolean offline;

    @Option(names = "--ttl", defaultValue = "300", description = "Message TTL in seconds. Default: ${DEFAULT-VALUE}")
    int ttlSeconds;

    @Option(names = "--concurrency", defaultValue = "64", description = "HTTP requests in flight at most. Default: ${DEFAULT-VALUE}")
    int concurrency;

    @Option(names = "--drain", defaultValue = "30",
            description = "Seconds to wait for outstanding deliveries after sending (ends earlier after 5 s without any). Default: ${DEFAULT-VALUE}")
    double drainSeconds;

    void check() {
        if (concurrency < 1 || payloadBytes < 1 || ttlSeconds < 1 || drainSeconds < 0) {
            throw new IllegalArgumentException("--concurrency, --payload-bytes and --ttl must be >= 1, --drain >= 0");
        }
        auth();
    }

    PushApiClient.Auth auth() {
        try {
            return PushApiClient.Auth.valueOf(apiAuth.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown --api-auth '" + apiAuth + "': use signed or basic");
        }
    }
}
