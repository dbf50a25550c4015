package dev.herald.core.app;

import java.util.regex.Pattern;

/**
 * The shapes of app and device ids. Both end up inside Redis keys and hash tags, so they exclude
 * braces, spaces and control characters.
 */
public final class Ids {

    public static final String APP_ID_PATTERN = "[A-Za-z0-9._-]{1,64}";
    public static final String DEVICE_ID_PATTERN = "[A-Za-z0-9._:@-]{1,128}";
    /** Room ids have the shape of device ids (no {@code /}: {@code app/room} names a room in one string). */
    public static final String ROOM_ID_PATTERN = DEVICE_ID_PATTERN;

    private static final Pattern APP_ID = Pattern.compile(APP_ID_PATTERN);
    private static final Pattern DEVICE_ID = Pattern.compile(DEVICE_ID_PATTERN);

    private Ids() {
    }

    public static boolean isAppId(String s) {
        return s != null && APP_ID.matcher(s).matches();
    }

    public static boolean isDeviceId(String s) {
        return s != null && DEVICE_ID.matcher(s).matches();
    }

    public static boolean isRoomId(String s) {
        return isDeviceId(s);
    }
}
