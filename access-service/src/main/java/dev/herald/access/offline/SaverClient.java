package dev.herald.access.offline;

import dev.herald.core.offline.OfflineApi;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.service.annotation.HttpExchange;
import org.springframework.web.service.annotation.PostExchange;
import reactor.core.publisher.Mono;

/**
 * The saver's internal API as an access node calls it: reconnecting devices' backlogs, one request per batch (an
 * HTTP interface; {@link SaverConfiguration} makes the proxy on the node's {@code saver} pool, with the service
 * key). Storing and ACKs need no call: the dispatcher and the access nodes run the saver's {@code offline-store}
 * library in their own Redis pipelines.
 */
@HttpExchange(contentType = "application/json", accept = "application/json")
interface SaverClient {

    @PostExchange(OfflineApi.FETCH_PATH)
    Mono<OfflineApi.FetchResponse> fetch(@RequestBody OfflineApi.FetchRequest request);
}
