package dev.herald.api.room;

import dev.herald.api.OpenApiConfig;
import dev.herald.api.PushApiProperties;
import dev.herald.api.problem.FieldProblem;
import dev.herald.api.problem.ProblemCode;
import dev.herald.core.app.Ids;
import dev.herald.core.room.RoomApi;
import dev.herald.web.openapi.ApiDocumentation;
import dev.herald.web.problem.RejectedRequestException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
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
import org.springframework.web.reactive.function.client.WebClientResponseException;
import reactor.core.publisher.Mono;

/** Chat rooms: post to a room, list rooms and members, count members, read history, kick and mute. */
@RestController
@Tag(name = "Rooms", description = """
        Chat rooms of your app. Devices join and leave rooms over their connection and send to them (see \
        docs/protocol.md#rooms); here your server posts to a room, looks at rooms and members, and moderates. Every \
        member receives each room message once and in the room's one order (`seq`).""")
@SecurityRequirement(name = OpenApiConfig.SECURITY_SCHEME)
public final class RoomController {

    static final int MAX_LIMIT = 1000;
    static final long MAX_SECONDS = 365L * 24 * 3600;

    private static final String ROOM = "/v1/apps/{appId}/rooms/{roomId}";
    private static final String PROBLEM = MediaType.APPLICATION_PROBLEM_JSON_VALUE;

    private final ChatroomClient chatroom;
    private final int maxPayloadBytes;

    public RoomController(ChatroomClient chatroom, PushApiProperties properties) {
        this.chatroom = chatroom;
        this.maxPayloadBytes = properties.maxPayloadBytes();
    }

    @PostMapping(path = ROOM + "/messages", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "postRoomMessage", summary = "Post a message to a room",
            description = """
                    Queues the message for the room's sequencer, which gives it the room's next `seq`, keeps it in the \
                    room's history and delivers it to every member online now (rooms are online only: members who join \
                    later get it from the history). Posts from your server are not subject to the room's send rate.""",
            responses = {
                    @ApiResponse(responseCode = "202", description = "Queued",
                            content = @Content(schema = @Schema(implementation = RoomViews.Posted.class))),
                    @ApiResponse(responseCode = "400", description = "Bad room id, no payload or two (`INVALID_REQUEST`, "
                            + "`EMPTY_PAYLOAD`, `INVALID_PAYLOAD`)", content = @Content(mediaType = PROBLEM,
                            schema = @Schema(ref = ApiDocumentation.PROBLEM_SCHEMA_REF))),
                    @ApiResponse(responseCode = "413", description = "Payload over the limit (`PAYLOAD_TOO_LARGE`)",
                            content = @Content(mediaType = PROBLEM, schema = @Schema(ref = ApiDocumentation.PROBLEM_SCHEMA_REF)))
            })
    public Mono<ResponseEntity<RoomViews.Posted>> post(@Parameter(example = "demo") @PathVariable String appId,
                                                       @Parameter(example = "lobby") @PathVariable String roomId,
                                                       @RequestBody RoomViews.PostRequest request) {
        checkRoom(roomId);
        byte[] payload = payload(request);
        return chatroom.post(appId, roomId, new RoomApi.PostRequest(payload))
                .map(posted -> ResponseEntity.status(HttpStatus.ACCEPTED)
                        .body(new RoomViews.Posted(posted.messageId(), appId, roomId)));
    }

    @GetMapping(ROOM + "/messages")
    @Operation(operationId = "getRoomHistory", summary = "Read a room's history",
            description = "The newest messages the room keeps (bounded by count and age), oldest first.",
            responses = @ApiResponse(responseCode = "200", description = "The history (possibly empty)"))
    public Mono<RoomViews.History> history(@PathVariable String appId, @PathVariable String roomId,
                                           @Parameter(description = "Most messages, 1..1000") @RequestParam(defaultValue = "50") int limit) {
        checkRoom(roomId);
        checkLimit(limit);
        return chatroom.history(appId, roomId, limit).map(history -> new RoomViews.History(history.messages().stream()
                .map(m -> new RoomViews.Message(m.messageId(), m.seq(), m.senderId(), m.sentAt(),
                        Base64.getEncoder().encodeToString(m.payload())))
                .toList()));
    }

    @GetMapping("/v1/apps/{appId}/rooms")
    @Operation(operationId = "listRooms", summary = "List the app's rooms",
            description = "Rooms with members or recent messages, most recently active first, with their member counts.",
            responses = @ApiResponse(responseCode = "200", description = "The rooms"))
    public Mono<RoomViews.RoomList> list(@PathVariable String appId,
                                         @Parameter(description = "Most rooms, 1..1000") @RequestParam(defaultValue = "100") int limit) {
        checkLimit(limit);
        return chatroom.rooms(appId, limit).map(list -> new RoomViews.RoomList(list.rooms().stream().map(RoomController::room).toList()));
    }

    @GetMapping(ROOM)
    @Operation(operationId = "getRoom", summary = "Get a room's member count and sequence",
            description = "Counters only (no scan of members): cheap for rooms of any size. A room nobody joined reads 0.",
            responses = @ApiResponse(responseCode = "200", description = "The room"))
    public Mono<RoomViews.Room> get(@PathVariable String appId, @PathVariable String roomId) {
        checkRoom(roomId);
        return chatroom.room(appId, roomId).map(RoomController::room);
    }

    @GetMapping(ROOM + "/members")
    @Operation(operationId = "listRoomMembers", summary = "List a room's members, a page at a time",
            description = "Pages in no particular order; follow `nextCursor` until it is absent. A page may hold "
                    + "slightly more or fewer than `limit` members.",
            responses = @ApiResponse(responseCode = "200", description = "One page"))
    public Mono<RoomViews.MemberPage> members(@PathVariable String appId, @PathVariable String roomId,
                                              @Parameter(description = "`nextCursor` of the previous page") @RequestParam(required = false) String cursor,
                                              @Parameter(description = "Members per page, 1..1000") @RequestParam(defaultValue = "100") int limit) {
        checkRoom(roomId);
        checkLimit(limit);
        if (cursor != null && !cursor.matches("[0-9]{1,20}")) {
            throw RejectedRequestException.of(ProblemCode.INVALID_REQUEST, "cursor must be the nextCursor of a previous page.");
        }
        return chatroom.members(appId, roomId, cursor, limit)
                .map(page -> new RoomViews.MemberPage(page.members().stream()
                        .map(m -> new RoomViews.Member(m.deviceId(), m.nodeId())).toList(), page.nextCursor()));
    }

    @PostMapping(path = ROOM + "/members/{deviceId}/kick", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "kickRoomMember", summary = "Remove a member from a room",
            description = """
                    The member stops receiving the room at once and its device is told (ROOM_ACK REMOVED, code \
                    ROOM_KICKED). With `banSeconds`, the device's joins are refused (ERROR ROOM_KICKED) until then.""",
            responses = {
                    @ApiResponse(responseCode = "204", description = "Removed"),
                    @ApiResponse(responseCode = "404", description = "Not a member (`NOT_FOUND`); a ban is still set",
                            content = @Content(mediaType = PROBLEM, schema = @Schema(ref = ApiDocumentation.PROBLEM_SCHEMA_REF)))
            })
    public Mono<ResponseEntity<Void>> kick(@PathVariable String appId, @PathVariable String roomId,
                                           @PathVariable String deviceId, @RequestBody(required = false) RoomViews.KickRequest request) {
        checkMember(roomId, deviceId);
        long ban = request == null || request.banSeconds() == null ? 0 : request.banSeconds();
        if (ban < 0 || ban > MAX_SECONDS) {
            throw RejectedRequestException.of(ProblemCode.INVALID_REQUEST, "banSeconds must be 0.." + MAX_SECONDS + ".");
        }
        return chatroom.kick(appId, roomId, deviceId, new RoomApi.KickRequest(ban))
                .onErrorMap(WebClientResponseException.NotFound.class, notFound -> RejectedRequestException.of(
                        ProblemCode.NOT_FOUND, "Device '" + deviceId + "' is not a member of room '" + roomId + "'."))
                .thenReturn(ResponseEntity.noContent().build());
    }

    @PutMapping(path = ROOM + "/members/{deviceId}/mute", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "muteRoomMember", summary = "Mute a member of a room",
            description = "Its ROOM_SENDs are refused with ERROR ROOM_MUTED until then; it still receives the room.",
            responses = @ApiResponse(responseCode = "200", description = "Muted",
                    content = @Content(schema = @Schema(implementation = RoomViews.Muted.class))))
    public Mono<RoomViews.Muted> mute(@PathVariable String appId, @PathVariable String roomId, @PathVariable String deviceId,
                                      @RequestBody RoomViews.MuteRequest request) {
        checkMember(roomId, deviceId);
        if (request == null || request.seconds() == null || request.seconds() < 1 || request.seconds() > MAX_SECONDS) {
            throw FieldProblem.rejection(List.of(new FieldProblem("seconds", ProblemCode.INVALID_REQUEST,
                    "seconds must be 1.." + MAX_SECONDS + ".")));
        }
        return chatroom.mute(appId, roomId, deviceId, new RoomApi.MuteRequest(request.seconds())).map(m -> new RoomViews.Muted(m.until()));
    }

    @DeleteMapping(ROOM + "/members/{deviceId}/mute")
    @Operation(operationId = "unmuteRoomMember", summary = "Lift a mute",
            responses = {
                    @ApiResponse(responseCode = "204", description = "Lifted"),
                    @ApiResponse(responseCode = "404", description = "Not muted (`NOT_FOUND`)",
                            content = @Content(mediaType = PROBLEM, schema = @Schema(ref = ApiDocumentation.PROBLEM_SCHEMA_REF)))
            })
    public Mono<ResponseEntity<Void>> unmute(@PathVariable String appId, @PathVariable String roomId,
                                             @PathVariable String deviceId) {
        checkMember(roomId, deviceId);
        return chatroom.unmute(appId, roomId, deviceId)
                .onErrorMap(WebClientResponseException.NotFound.class, notFound -> RejectedRequestException.of(
                        ProblemCode.NOT_FOUND, "Device '" + deviceId + "' is not muted in room '" + roomId + "'."))
                .thenReturn(ResponseEntity.noContent().build());
    }

    private static RoomViews.Room room(RoomApi.RoomSummary s) {
        return new RoomViews.Room(s.roomId(), s.memberCount(), s.lastSeq(), s.lastActivity());
    }

    private byte[] payload(RoomViews.PostRequest request) {
        if (request == null || (request.text() == null) == (request.base64() == null)) {
            throw RejectedRequestException.of(ProblemCode.INVALID_REQUEST, "Give exactly one payload: text or base64.");
        }
        byte[] payload;
        if (request.text() != null) {
            payload = request.text().getBytes(StandardCharsets.UTF_8);
        } else {
            try {
                payload = Base64.getDecoder().decode(request.base64());
            } catch (IllegalArgumentException e) {
                throw RejectedRequestException.of(ProblemCode.INVALID_PAYLOAD, "base64 is not valid standard base64.");
            }
        }
        if (payload.length == 0) {
            throw RejectedRequestException.of(ProblemCode.EMPTY_PAYLOAD, "The payload is empty.");
        }
        if (payload.length > maxPayloadBytes) {
            throw RejectedRequestException.of(ProblemCode.PAYLOAD_TOO_LARGE, "The payload is " + payload.length
                    + " bytes; at most " + maxPayloadBytes + " are allowed.");
        }
        return payload;
    }

    private static void checkRoom(String roomId) {
        if (!Ids.isRoomId(roomId)) {
            throw RejectedRequestException.of(ProblemCode.INVALID_REQUEST, "The room id must be 1..128 characters of "
                    + "[A-Za-z0-9._:@-].");
        }
    }

    private static void checkMember(String roomId, String deviceId) {
        checkRoom(roomId);
        if (!Ids.isDeviceId(deviceId)) {
            throw RejectedRequestException.of(ProblemCode.INVALID_REQUEST, "The device id must be 1..128 characters of "
                    + "[A-Za-z0-9._:@-].");
        }
    }

    private static void checkLimit(int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw RejectedRequestException.of(ProblemCode.INVALID_REQUEST, "limit must be between 1 and " + MAX_LIMIT
                    + ", not " + limit + ".");
        }
    }
}
