package dev.herald.access.offline;

import java.time.Duration;
import org.springframework.web.reactive.function.client.WebClientResponseException;
import reactor.core.Exceptions;
import reactor.util.retry.Retry;

/** How saver requests are retried: with backoff, except when the saver refused the request itself. */
final class SaverRetry {

    private SaverRetry() {
    }

    /** The last failure of a retried request, for the log line. */
    static String describe(Throwable error) {
        Throwable cause = Exceptions.isRetryExhausted(error) && error.getCause() != null ? error.getCause() : error;
        return cause.toString();
    }

    static Retry policy(int retries) {
        return Retry.backoff(retries, Duration.ofMillis(100))
                .maxBackoff(Duration.ofSeconds(2))
                // A 4xx answer would be the same on every attempt.
                .filter(error -> !(error instanceof WebClientResponseException response
                        && response.getStatusCode().is4xxClientError()));
    }
}
