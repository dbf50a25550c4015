package dev.herald.api.room;

import dev.herald.core.room.RoomApi;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.service.annotation.DeleteExchange;
import org.springframework.web.service.annotation.GetExchange;
import org.springframework.web.service.annotation.PostExchange;
import org.springframework.web.service.annotation.PutExchange;
import reactor.core.publisher.Mono;

/**
 * push-api's client of the chatroom-service's internal API ({@link RoomApi}): a Spring HTTP interface, its proxy
 * made by {@link ChatroomClientConfiguration} on a WebClient with a connection pool of its own and the service key.
 * Every call answers within {@code herald.api.chatroom-timeout} ({@link ChatroomCallPolicy}): no answer, an error or a
 * timeout is a 503 ({@code UNAVAILABLE}, retry later). A 404 arrives as
 * {@link org.springframework.web.reactive.function.client.WebClientResponseException.NotFound}, for the calls where
 * it means something (kick, unmute) to say what was not found; requests are validated before they get here, so any
 * other 4xx from the chatroom-service is a bug and answered 500.
 */
interface ChatroomClient {

    @PostExchange(url = RoomApi.MESSAGES_PATH, contentType = MediaType.APPLICATION_JSON_VALUE)
    Mono<RoomApi.Posted> post(@PathVariable("appId") String appId, @PathVariable("roomId") String roomId,
                              @RequestBody RoomApi.PostRequest request);

    @GetExchange(RoomApi.MESSAGES_PATH)
    Mono<RoomApi.History> history(@PathVariable("appId") String appId, @PathVariable("roomId") String roomId,
                                  @RequestParam("limit") int limit);

    @GetExchange(RoomApi.ROOMS_PATH)
    Mono<RoomApi.RoomList> rooms(@PathVariable("appId") String appId, @RequestParam("limit") int limit);

    @GetExchange(RoomApi.ROOM_PATH)
    Mono<RoomApi.RoomSummary> room(@PathVariable("appId") String appId, @PathVariable("roomId") String roomId);

    /** The first page without {@code cursor} ({@code null}: not sent). */
    @GetExchange(RoomApi.MEMBERS_PATH)
    Mono<RoomApi.MemberPage> members(@PathVariable("appId") String appId, @PathVariable("roomId") String roomId,
                                     @RequestParam(name = "cursor", required = false) String cursor,
                                     @RequestParam("limit") int limit);

    /** 404 when the device is not a member (a ban is still set). */
    @PostExchange(url = RoomApi.KICK_PATH, contentType = MediaType.APPLICATION_JSON_VALUE)
    Mono<Void> kick(@PathVariable("appId") String appId, @PathVariable("roomId") String roomId,
                    @PathVariable("deviceId") String deviceId, @RequestBody RoomApi.KickRequest request);

    @PutExchange(url = RoomApi.MUTE_PATH, contentType = MediaType.APPLICATION_JSON_VALUE)
    Mono<RoomApi.Muted> mute(@PathVariable("appId") String appId, @PathVariable("roomId") String roomId,
                             @PathVariable("deviceId") String deviceId, @RequestBody RoomApi.MuteRequest request);

    /** 404 when the device is not muted. */
    @DeleteExchange(RoomApi.MUTE_PATH)
    Mono<Void> unmute(@PathVariable("appId") String appId, @PathVariable("roomId") String roomId,
                      @PathVariable("deviceId") String deviceId);
}
