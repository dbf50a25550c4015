package dev.herald.access.fuzz;

import dev.herald.core.app.Ids;
import dev.herald.protocol.Frame;
import dev.herald.protocol.fuzz.ValidFrames;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Logins for the fuzzed transports: mostly a valid one (so that what follows the handshake gets
 * fuzzed too), otherwise one the node refuses in each of its ways: a device id of the wrong shape,
 * an unknown app, a token that is malformed, signed for another device or by another app's secret, an
 * app listed twice, two apps of which one fails.
 */
final class Logins {

    static final String DEVICE = "fuzz-device-1";

    private final FuzzedNode node;

    Logins(FuzzedNode node) {
        this.node = node;
    }

    /** A login the node accepts: device {@value #DEVICE}, app {@value FuzzedNode#APP}. */
    List<Frame.AppLogin> valid() {
        return List.of(new Frame.AppLogin(FuzzedNode.APP, node.token(DEVICE), 0));
    }

    /** Any login, valid with probability {@code validShare}; with the device id it is for. */
    Login any(SplittableRandom random, double validShare) {
        if (random.nextDouble() < validShare) {
            return new Login(DEVICE, valid(), true);
        }
        List<Frame.AppLogin> apps = new ArrayList<>();
        String device = DEVICE;
        switch (random.nextInt(8)) {
            case 0 -> {
                device = random.nextBoolean() ? "" : ValidFrames.string(random, 200);
                apps.add(new Frame.AppLogin(FuzzedNode.APP, node.token(device), 0));
                if (Ids.isDeviceId(device)) {
                    return new Login(device, apps, true);
                }
            }
            case 1 -> apps.add(new Frame.AppLogin("nope", node.token(device), 0));
            case 2 -> apps.add(new Frame.AppLogin(FuzzedNode.APP, ValidFrames.string(random, 80), 0));
            case 3 -> apps.add(new Frame.AppLogin(FuzzedNode.APP, node.token("another-device"), 0));
            case 4 -> apps.add(new Frame.AppLogin(FuzzedNode.APP, node.otherToken(device), 0));
            case 5 -> {
                apps.add(new Frame.AppLogin(FuzzedNode.APP, node.token(device), 0));
                apps.add(new Frame.AppLogin(FuzzedNode.APP, node.token(device), 0));
            }
            case 6 -> {
                apps.add(new Frame.AppLogin(FuzzedNode.APP, node.token(device), 0));
                apps.add(new Frame.AppLogin(FuzzedNode.OTHER_APP, node.token(device), 0));
            }
            default -> {
                // Both apps valid: accepted.
                apps.add(new Frame.AppLogin(FuzzedNode.APP, node.token(device), ValidFrames.longValue(random)));
                apps.add(new Frame.AppLogin(FuzzedNode.OTHER_APP, node.otherToken(device), 0));
                return new Login(device, apps, true);
            }
        }
        return new Login(device, apps, false);
    }

    record Login(String deviceId, List<Frame.AppLogin> apps, boolean accepted) {
    }
}
