package dev.herald.chatroom.room;

import dev.herald.core.app.Ids;
import dev.herald.core.room.RoomApi;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * The internal room API ({@link RoomApi}) push-api calls for its REST room operations. Not for the public network:
 * like the saver's, it has no authentication of its own (push-api authenticates the app).
 */
@RestController
final class RoomController {

    static final int MAX_LIMIT = 1000;

    private final RoomService rooms;

    RoomController(RoomService rooms) {
        this.rooms = rooms;
    }

    @PostMapping(path = RoomApi.MESSAGES_PATH, consumes = MediaType.APPLICATION_JSON_VALUE)
    Mono<ResponseEntity<RoomApi.Posted>> post(@PathVariable String appId, @PathVariable String roomId,
                                              @RequestBody RoomApi.PostRequest request) {
        check(appId, roomId);
        if (request.payload() == null || request.payload().length == 0) {
            throw new RoomRequestError("the payload is empty");
        }
        return rooms.post(appId, roomId, request.payload())
                .map(posted -> ResponseEntity.status(HttpStatus.ACCEPTED).body(posted));
    }

    @GetMapping(RoomApi.MESSAGES_PATH)
    Mono<RoomApi.History> history(@PathVariable String appId, @PathVariable String roomId,
                                  @RequestParam(defaultValue = "50") int limit) {
        check(appId, roomId);
        return rooms.history(appId, roomId, limit(limit));
    }

    @GetMapping(RoomApi.ROOMS_PATH)
    Mono<RoomApi.RoomList> list(@PathVariable String appId, @RequestParam(defaultValue = "100") int limit) {
        if (!Ids.isAppId(appId)) {
            throw new RoomRequestError("app id of the wrong shape");
        }
        return rooms.list(appId, limit(limit));
    }

    @GetMapping(RoomApi.ROOM_PATH)
    Mono<RoomApi.RoomSummary> summary(@PathVariable String appId, @PathVariable String roomId) {
        check(appId, roomId);
        return rooms.summary(appId, roomId);
    }

    @GetMapping(RoomApi.MEMBERS_PATH)
    Mono<RoomApi.MemberPage> members(@PathVariable String appId, @PathVariable String roomId,
                                     @RequestParam(required = false) String cursor,
                                     @RequestParam(defaultValue = "100") int limit) {
        check(appId, roomId);
        if (cursor != null && !cursor.matches("[0-9]{1,20}")) {
            throw new RoomRequestError("cursor must be the nextCursor of a previous page");
        }
        return rooms.members(appId, roomId, cursor, limit(limit));
    }

    @PostMapping(path = RoomApi.KICK_PATH, consumes = MediaType.APPLICATION_JSON_VALUE)
    Mono<ResponseEntity<Void>> kick(@PathVariable String appId, @PathVariable String roomId,
                                    @PathVariable String deviceId, @RequestBody RoomApi.KickRequest request) {
        checkMember(appId, roomId, deviceId);
        if (request.banSeconds() < 0) {
            throw new RoomRequestError("banSeconds must not be negative");
        }
        return rooms.kick(appId, roomId, deviceId, request.banSeconds()).map(wasMember -> {
            if (!wasMember) {
                throw new RoomNotFound(deviceId + " is not a member of room " + roomId);
            }
            return ResponseEntity.noContent().<Void>build();
        });
    }

    @PutMapping(path = RoomApi.MUTE_PATH, consumes = MediaType.APPLICATION_JSON_VALUE)
    Mono<RoomApi.Muted> mute(@PathVariable String appId, @PathVariable String roomId, @PathVariable String deviceId,
                             @RequestBody RoomApi.MuteRequest request) {
        checkMember(appId, roomId, deviceId);
        if (request.seconds() < 1) {
            throw new RoomRequestError("seconds must be at least 1");
        }
        return rooms.mute(appId, roomId, deviceId, request.seconds()).map(RoomApi.Muted::new);
    }

    @DeleteMapping(RoomApi.MUTE_PATH)
    Mono<ResponseEntity<Void>> unmute(@PathVariable String appId, @PathVariable String roomId,
                                      @PathVariable String deviceId) {
        checkMember(appId, roomId, deviceId);
        return rooms.unmute(appId, roomId, deviceId).map(was -> {
            if (!was) {
                throw new RoomNotFound(deviceId + " is not muted in room " + roomId);
            }
            return ResponseEntity.noContent().<Void>build();
        });
    }

    private static int limit(int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new RoomRequestError("limit must be between 1 and " + MAX_LIMIT + ", not " + limit);
        }
        return limit;
    }

    private static void check(String appId, String roomId) {
        if (!Ids.isAppId(appId) || !Ids.isRoomId(roomId)) {
            throw new RoomRequestError("app or room id of the wrong shape");
        }
    }

    private static void checkMember(String appId, String roomId, String deviceId) {
        check(appId, roomId);
        if (!Ids.isDeviceId(deviceId)) {
            throw new RoomRequestError("device id of the wrong shape");
        }
    }
}
