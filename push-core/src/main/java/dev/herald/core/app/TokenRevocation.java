package dev.herald.core.app;

/**
 * What push-api writes to the delivery stream of every live access node ({@code h:deliveries:{node}}, field
 * {@code k}) when the app revokes the device's tokens: a node closes the device's connection of that app if its
 * token was issued at or before {@code revokedAtMillis}.
 *
 * @param revokedAtMillis the revocation time, epoch ms, as stored at {@code h:revoked:{app:device}}
 */
public record TokenRevocation(String appId, String deviceId, long revokedAtMillis) {

    /** Whether a token issued at {@code issuedAtMillis} (epoch ms) is revoked by a revocation at {@code revokedAtMillis}. */
    public static boolean revokes(long revokedAtMillis, long issuedAtMillis) {
        return revokedAtMillis > 0 && issuedAtMillis <= revokedAtMillis;
    }
}
