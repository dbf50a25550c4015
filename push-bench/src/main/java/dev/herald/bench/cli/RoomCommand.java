package dev.herald.bench.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

@Command(name = "room", mixinStandardHelpOptions = true,
        description = "Chatroom fan-out. Not available until chatrooms exist (exits with 2).")
final class RoomCommand implements Callable<Integer> {

    /** Accepted and ignored, so that a prepared command line fails with the clear message below. */
    @Unmatched
    List<String> ignored;

    @Override
    public Integer call() {
        System.err.println("room: not available until chatrooms exist (Herald has no rooms yet; this scenario "
                + "comes with them). Available scenarios: connect, broadcast, unicast.");
        return 2;
    }
}
