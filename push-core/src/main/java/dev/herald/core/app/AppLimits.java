package dev.herald.core.app;

/**
 * Limits of one app, enforced by push-api on sends ({@code POST /v1/apps/{app}/messages}) across all
 * its instances: beyond them a send is answered 429 with {@code Retry-After}. Hot-reloaded with the
 * app's configuration.
 *
 * @param messagesPerSecond sends accepted per second for the app, with bursts of up to one second's
 *                          worth; 0 means no limit
 * @param messagesPerDay    sends accepted per UTC day; 0 means no quota
 */
public record AppLimits(long messagesPerSecond, long messagesPerDay) {

    public static final AppLimits NONE = new AppLimits(0, 0);

    public AppLimits {
        if (messagesPerSecond < 0) {
            throw new IllegalArgumentException("messagesPerSecond must be 0 (no limit) or positive: " + messagesPerSecond);
        }
        if (messagesPerDay < 0) {
            throw new IllegalArgumentException("messagesPerDay must be 0 (no quota) or positive: " + messagesPerDay);
        }
    }

    /** Whether neither a rate nor a quota applies. */
    public boolean unlimited() {
        return messagesPerSecond == 0 && messagesPerDay == 0;
    }
}
