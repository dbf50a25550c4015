package dev.herald.api.room;

import dev.herald.api.problem.DependencyUnavailableException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import org.springframework.web.reactive.function.client.WebClientResponseException;
import org.springframework.web.service.invoker.HttpExchangeAdapter;
import org.springframework.web.service.invoker.HttpRequestValues;
import org.springframework.web.service.invoker.ReactorHttpExchangeAdapterDecorator;
import reactor.core.publisher.Mono;

/**
 * What every {@link ChatroomClient} call gets: a time limit on the whole call (answer and body), and the
 * chatroom-service's failures in push-api's terms. No connection, no answer in time or a 5xx is a
 * {@link DependencyUnavailableException} (503, retry later); a 404 stays the framework's
 * {@link WebClientResponseException.NotFound} for the caller to name what was not found; any other 4xx, which a
 * validated request cannot cause, is an {@link IllegalStateException} with the answer's body (a bug: 500).
 */
final class ChatroomCallPolicy extends ReactorHttpExchangeAdapterDecorator {

    private final Duration timeout;

    ChatroomCallPolicy(HttpExchangeAdapter delegate, Duration timeout) {
        super(delegate);
        this.timeout = timeout;
    }

    @Override
    public Mono<Void> exchangeForMono(HttpRequestValues values) {
        return guard(super.exchangeForMono(values));
    }

    @Override
    public Mono<HttpHeaders> exchangeForHeadersMono(HttpRequestValues values) {
        return guard(super.exchangeForHeadersMono(values));
    }

    @Override
    public <T> Mono<T> exchangeForBodyMono(HttpRequestValues values, ParameterizedTypeReference<T> bodyType) {
        return guard(super.exchangeForBodyMono(values, bodyType));
    }

    @Override
    public Mono<ResponseEntity<Void>> exchangeForBodilessEntityMono(HttpRequestValues values) {
        return guard(super.exchangeForBodilessEntityMono(values));
    }

    @Override
    public <T> Mono<ResponseEntity<T>> exchangeForEntityMono(HttpRequestValues values, ParameterizedTypeReference<T> bodyType) {
        return guard(super.exchangeForEntityMono(values, bodyType));
    }

    private <T> Mono<T> guard(Mono<T> call) {
        return call.timeout(timeout).onErrorMap(this::translate);
    }

    private Throwable translate(Throwable error) {
        if (error instanceof WebClientRequestException || error instanceof TimeoutException) {
            return new DependencyUnavailableException("The chatroom service did not answer within "
                    + timeout.toMillis() + " ms; the request may not have been carried out. Retry after a short delay.",
                    error);
        }
        if (error instanceof WebClientResponseException answer) {
            int status = answer.getStatusCode().value();
            if (answer.getStatusCode().is5xxServerError()) {
                return new DependencyUnavailableException("The chatroom service failed (" + status
                        + "); nothing was done. Retry after a short delay.", null);
            }
            if (status != 404) {
                return new IllegalStateException("chatroom-service answered " + status + ": "
                        + answer.getResponseBodyAsString(), answer);
            }
        }
        return error;
    }
}
