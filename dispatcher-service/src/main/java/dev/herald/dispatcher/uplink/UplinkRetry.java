package dev.herald.dispatcher.uplink;

import dev.herald.core.message.UplinkMessage;

/**
 * An uplink waiting for its next callback attempt: the JSON member of the cell's retry set
 * ({@code h:uplink-retry:{cell}}), scored with the epoch milliseconds of that attempt.
 *
 * @param attempts  attempts made so far (at least 1)
 * @param lastError why the last attempt failed
 */
record UplinkRetry(UplinkMessage message, int attempts, String lastError) {
}
