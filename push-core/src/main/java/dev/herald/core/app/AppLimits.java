package dev.herald.core.app;

/**
 * Limits of one app. Carried in the app's configuration now; enforcement comes in a later release.
 *
 * @param messagesPerSecond messages the REST API accepts per second for the app; 0 means no limit
 */
public record AppLimits(long messagesPerSecond) {

    public static final AppLimits NONE = new AppLimits(0);

    public AppLimits {
        if (messagesPerSecond < 0) {
            throw new IllegalArgumentException("messagesPerSecond must be 0 (no limit) or positive: " + messagesPerSecond);
        }
    }
}
