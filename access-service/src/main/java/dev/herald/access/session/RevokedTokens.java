package dev.herald.access.session;

import dev.herald.core.app.TokenRevocation;
import dev.herald.protocol.ErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Closes a connected device whose token its app revoked: push-api writes a {@link TokenRevocation} to the
 * delivery stream of every live node (and of the device's route's node), and the connection ends with DISCONNECT
 * {@code TOKEN_EXPIRED} if the token it logged in with was issued at or before the revocation (a connection
 * that logged in since with a newer token stays). A connection still waiting for its CONNACK is refused by
 * {@code DeviceSessions.whenRouted} (package {@code device}) instead, which reads the revocation with its route.
 */
@Component
public final class RevokedTokens {

    private static final Logger log = LoggerFactory.getLogger(RevokedTokens.class);

    private final SessionRegistry registry;

    public RevokedTokens(SessionRegistry registry) {
        this.registry = registry;
    }

    /** Closes the device's connection of the revocation's app, if its token is revoked. Any thread. */
    public void revoked(TokenRevocation revocation) {
        DeviceConnection connection = registry.find(revocation.appId(), revocation.deviceId());
        Session session = connection == null ? null : Session.of(connection.channel());
        if (session == null || !session.tokenRevokedBy(revocation.appId(), revocation.revokedAtMillis())) {
            return;
        }
        log.info("closing {}: its token for app {} was revoked", session, revocation.appId());
        connection.disconnect(ErrorCode.TOKEN_EXPIRED, "token for app " + revocation.appId() + " was revoked");
    }
}
