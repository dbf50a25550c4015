package dev.herald.ops.profiling;

import dev.herald.ops.OpsProperties;
import dev.herald.ops.ServiceIdentity;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.core.io.FileSystemResource;
import org.springframework.util.MimeType;
import reactor.core.publisher.Mono;

/**
 * The profiling history on the management port ({@code /actuator/profiles}); the contract is in
 * docs/operations.md.
 * <ul>
 *   <li>{@code GET /actuator/profiles}: the schedule, the recording in progress, the snapshots (newest first)</li>
 *   <li>{@code POST /actuator/profiles[?durationSeconds=n]}: records a snapshot now and answers when it is
 *       kept (409 while another one records)</li>
 *   <li>{@code GET /actuator/profiles/{id}}: the {@code .jfr} file (JDK Mission Control, {@code jfr print})</li>
 *   <li>{@code GET /actuator/profiles/{id}/summary}: top CPU methods, allocation sites, GC pauses, heap</li>
 *   <li>{@code GET /actuator/profiles/diff?from={id}&to={id}}: how {@code to} differs from {@code from}</li>
 * </ul>
 * Errors are problem documents ({@code application/problem+json}) with a {@code code}.
 */
@Endpoint(id = "profiles")
public final class ProfilesEndpoint {

    static final String DIFF = "diff";
    static final String SUMMARY = "summary";
    private static final MimeType JFR = MimeType.valueOf("application/octet-stream");
    private static final MimeType PROBLEM = MimeType.valueOf("application/problem+json");
    /** Named on JSON answers of the operation that also serves files: it would pick the first type it produces. */
    private static final MimeType JSON = MimeType.valueOf("application/json");

    private final ServiceIdentity identity;
    private final ProfileRecorder recorder;
    private final OpsProperties.Profiling settings;

    public ProfilesEndpoint(ServiceIdentity identity, ProfileRecorder recorder, OpsProperties.Profiling settings) {
        this.identity = identity;
        this.recorder = recorder;
        this.settings = settings;
    }

    /** @param interval 0 when there is no schedule; {@code recording} null when nothing records */
    public record ProfilesReport(String service, String node, Duration interval, Duration duration, Duration maxDuration,
                                 ProfileRecorder.@Nullable Running recording, List<Snapshot> snapshots) {
    }

    /** RFC 9457 problem document. */
    public record Problem(String type, String title, int status, String detail, String code) {

        static WebEndpointResponse<Object> of(int status, String code, String title, String detail) {
            return new WebEndpointResponse<>(new Problem("urn:herald:problem:" + code.toLowerCase().replace('_', '-'),
                    title, status, detail, code), status, PROBLEM);
        }
    }

    @ReadOperation
    public ProfilesReport profiles() {
        return new ProfilesReport(identity.service(), identity.node(), settings.interval(), settings.duration(),
                settings.maxDuration(), recorder.running().orElse(null), recorder.history());
    }

    /** Records a snapshot of {@code durationSeconds} (default: the scheduled duration) and answers with it. */
    @WriteOperation
    public Mono<WebEndpointResponse<Object>> capture(@Nullable Integer durationSeconds) {
        Duration duration = durationSeconds == null ? settings.duration() : Duration.ofSeconds(durationSeconds);
        if (duration.toMillis() < 1000 || duration.compareTo(settings.maxDuration()) > 0) {
            return Mono.just(Problem.of(400, "INVALID_DURATION", "Bad Request", "durationSeconds must be between 1 and "
                    + settings.maxDuration().toSeconds() + " (herald.ops.profiling.max-duration)"));
        }
        try {
            return Mono.fromFuture(recorder.capture(duration, Snapshot.ON_DEMAND))
                    .map(snapshot -> new WebEndpointResponse<Object>(snapshot, 200))
                    .onErrorResume(e -> Mono.just(Problem.of(500, "PROFILE_FAILED", "Internal Server Error",
                            "the snapshot could not be kept: " + cause(e))));
        } catch (ProfilerBusyException busy) {
            return Mono.just(Problem.of(409, "PROFILER_BUSY", "Conflict", busy.getMessage() + "; try again when it ends"));
        } catch (IllegalStateException unavailable) {
            return Mono.just(Problem.of(503, "PROFILER_UNAVAILABLE", "Service Unavailable", unavailable.getMessage()));
        }
    }

    private static String cause(Throwable e) {
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }

    /** {@code diff} with {@code from} and {@code to}, else the snapshot's {@code .jfr}. */
    @ReadOperation(produces = {"application/octet-stream", "application/json", "application/problem+json"})
    public WebEndpointResponse<Object> snapshot(@Selector String id, @Nullable String from, @Nullable String to) {
        if (DIFF.equals(id)) {
            return diff(from, to);
        }
        Optional<Path> file = Snapshot.isId(id) ? recorder.file(id) : Optional.empty();
        if (file.isEmpty()) {
            return notFound(id);
        }
        return new WebEndpointResponse<>(new FileSystemResource(file.get()), 200, JFR);
    }

    @ReadOperation
    public WebEndpointResponse<Object> summary(@Selector String id, @Selector String part) {
        if (!SUMMARY.equals(part)) {
            return Problem.of(404, "NOT_FOUND", "Not Found", "no such resource: " + id + "/" + part
                    + " (a snapshot has /summary)");
        }
        Optional<ProfileSummary> summary = Snapshot.isId(id) ? recorder.summary(id) : Optional.empty();
        return summary.<WebEndpointResponse<Object>>map(s -> new WebEndpointResponse<>(s.limit(settings.top()), 200))
                .orElseGet(() -> notFound(id));
    }

    private WebEndpointResponse<Object> diff(@Nullable String from, @Nullable String to) {
        if (from == null || to == null) {
            return Problem.of(400, "INVALID_REQUEST", "Bad Request", "diff needs ?from=<snapshot id>&to=<snapshot id>");
        }
        Optional<ProfileSummary> a = Snapshot.isId(from) ? recorder.summary(from) : Optional.empty();
        if (a.isEmpty()) {
            return notFound(from);
        }
        Optional<ProfileSummary> b = Snapshot.isId(to) ? recorder.summary(to) : Optional.empty();
        if (b.isEmpty()) {
            return notFound(to);
        }
        return new WebEndpointResponse<>(ProfileDiff.of(a.get(), b.get(), settings.top()), 200, JSON);
    }

    private static WebEndpointResponse<Object> notFound(String id) {
        return Problem.of(404, "NOT_FOUND", "Not Found", "no snapshot " + id + " in the history (GET /actuator/profiles lists them)");
    }
}
