package dev.herald.core.message;

/**
 * An uplink the dispatcher gave up delivering, as JSON in the app's dead-letter stream
 * ({@code RedisKeys.uplinkDeadLetters(appId)}, field {@code RedisKeys.STREAM_FIELD}); the stream entry id
 * is the dead letter's id on push-api, which lists, replays and deletes them.
 *
 * @param attempts       callback attempts made (0 when the app had no callback URL or is unknown)
 * @param lastError      why the last attempt failed ({@code "HTTP 500"}, a timeout, "no callback URL", ...)
 * @param deadLetteredAt epoch milliseconds at which it was dead-lettered
 */
public record UplinkDeadLetter(UplinkMessage message, int attempts, String lastError, long deadLetteredAt) {
}
