package dev.herald.saver.api;

import dev.herald.core.offline.OfflineApi;
import dev.herald.core.offline.OfflineApi.AckRequest;
import dev.herald.core.offline.OfflineApi.FetchRequest;
import dev.herald.core.offline.OfflineApi.FetchResponse;
import dev.herald.core.offline.OfflineApi.StoreRequest;
import dev.herald.core.offline.OfflineApi.StoreResponse;
import dev.herald.saver.store.AckRecorder;
import dev.herald.saver.store.BacklogReader;
import dev.herald.saver.store.OfflineStore;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * The saver's internal batch API ({@link OfflineApi}): the dispatcher stores, access nodes fetch and
 * acknowledge. One request carries a whole batch; the store answers it with a fixed number of
 * pipelined Redis rounds.
 */
@RestController
final class OfflineController {

    private final RequestChecks checks;
    private final OfflineStore store;
    private final BacklogReader backlogs;
    private final AckRecorder acks;

    OfflineController(RequestChecks checks, OfflineStore store, BacklogReader backlogs, AckRecorder acks) {
        this.checks = checks;
        this.store = store;
        this.backlogs = backlogs;
        this.acks = acks;
    }

    @PostMapping(path = OfflineApi.STORE_PATH, consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<StoreResponse> store(@RequestBody StoreRequest request) {
        checks.check(request);
        return store.store(request.entries());
    }

    @PostMapping(path = OfflineApi.FETCH_PATH, consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<FetchResponse> fetch(@RequestBody FetchRequest request) {
        checks.check(request);
        return backlogs.fetch(request.devices());
    }

    @PostMapping(path = OfflineApi.ACK_PATH, consumes = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.NO_CONTENT)
    Mono<Void> ack(@RequestBody AckRequest request) {
        checks.check(request);
        return acks.ack(request.acks());
    }
}
