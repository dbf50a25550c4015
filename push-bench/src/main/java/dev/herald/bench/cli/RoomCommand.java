package dev.herald.bench.cli;

import dev.herald.bench.scenario.ScenarioSpec;
import dev.herald.core.app.Ids;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "room", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Chat room fan-out: N devices join one room (spread over the access nodes), M messages are posted "
                + "to the room through push-api (one at a time or a burst); report deliveries/s and the time until the "
                + "last member has each. Native and WebSocket devices (rooms are not mapped to MQTT yet).")
final class RoomCommand extends ScenarioCommand {

    @Mixin
    SendOptions send;

    @Option(names = "--room", defaultValue = "bench-room", description = "Room every device joins. Default: ${DEFAULT-VALUE}")
    String room;

    @Option(names = {"-m", "--messages"}, defaultValue = "100", description = "Messages to post. Default: ${DEFAULT-VALUE}")
    int messages;

    @Option(names = "--burst", defaultValue = "false",
            description = "Post all messages at once (up to --concurrency in flight) instead of one after the other")
    boolean burst;

    @Option(names = "--warmup", defaultValue = "1", description = "Messages posted and awaited first, not counted. Default: ${DEFAULT-VALUE}")
    int warmup;

    @Override
    ScenarioSpec spec() {
        if (messages < 1 || warmup < 0) {
            throw new IllegalArgumentException("--messages must be >= 1 and --warmup >= 0");
        }
        if (!Ids.isRoomId(room)) {
            throw new IllegalArgumentException("--room must match " + Ids.ROOM_ID_PATTERN);
        }
        if ("mqtt".equalsIgnoreCase(devices.protocol)) {
            throw new IllegalArgumentException("rooms are not mapped to MQTT yet (docs/chatrooms.md): use --protocol native or websocket");
        }
        return new ScenarioSpec("room", devices.spec().withRoom(room), send(send, messages, burst, warmup, 0, 0), noNode(), 0);
    }
}
