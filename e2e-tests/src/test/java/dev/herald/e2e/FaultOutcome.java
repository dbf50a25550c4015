package dev.herald.e2e;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * What one fault did to the messages sent around it, counted per (device, message) pair from the
 * devices' side.
 *
 * @param fault                   what was done
 * @param accepted                messages push-api answered 202
 * @param refused                 requests push-api answered otherwise (503 while Redis was down)
 * @param unanswered              requests without an answer (push-api down): unknown, never expected
 * @param offlineSent             offline-flagged (device, message) pairs: unicast targets, and every device for a broadcast
 * @param offlineDelivered        of those, pairs the device's listener received
 * @param offlineLost             offline-flagged pairs never received: must be 0
 * @param onlineSent              online-only unicasts accepted
 * @param onlineDelivered         of those, received
 * @param onlineLostDropped       online-only losses the status API counts as {@code dropped}
 * @param onlineLostUnconfirmed   online-only losses the status API shows as neither delivered nor dropped
 *                                ({@code targets > delivered + dropped}): handed to a node that died with them
 * @param onlineLostClaimed       online-only losses the status API claims {@code delivered}: must be 0
 * @param duplicatesDropped       redeliveries the devices' SDK recognised by id and did not pass on
 * @param duplicatesToListener    messages a listener got twice: must be 0
 * @param phantoms                messages received whose request got no 202 (the request failed after Redis took it)
 * @param settledIn               from the end of the load until every offline-flagged pair had arrived
 * @param missing                 a few lost offline-flagged pairs, for the failure message
 */
record FaultOutcome(String fault, long accepted, long refused, long unanswered,
                    long offlineSent, long offlineDelivered, long offlineLost,
                    long onlineSent, long onlineDelivered, long onlineLostDropped, long onlineLostUnconfirmed,
                    long onlineLostClaimed, long duplicatesDropped, long duplicatesToListener, long phantoms,
                    Duration settledIn, List<String> missing) {

    long onlineLost() {
        return onlineSent - onlineDelivered;
    }

    /** The header of {@link #tableRow()}, Markdown. */
    static String tableHeader() {
        return """
                | fault | accepted (refused / unanswered) | offline-flagged sent | delivered | duplicates (dropped by SDK / seen by app) | lost | online-only sent | delivered | lost (status: dropped / unconfirmed) | settled in |
                |---|---|---|---|---|---|---|---|---|---|""";
    }

    String tableRow() {
        return String.format(Locale.ROOT, "| %s | %d (%d / %d) | %d | %d | %d / %d | **%d** | %d | %d | %d (%d / %d) | %.1f s |",
                fault, accepted, refused, unanswered, offlineSent, offlineDelivered, duplicatesDropped,
                duplicatesToListener, offlineLost, onlineSent, onlineDelivered, onlineLost(), onlineLostDropped,
                onlineLostUnconfirmed, settledIn.toMillis() / 1000.0);
    }

    /** One line for the test log. */
    String line() {
        return String.format(Locale.ROOT, "FAULT %-28s sent=%d delivered=%d duplicates=%d lost=%d | online-only sent=%d "
                        + "delivered=%d lost=%d (dropped=%d unconfirmed=%d claimed=%d) | accepted=%d refused=%d "
                        + "unanswered=%d phantoms=%d listener-duplicates=%d settled=%.1fs",
                fault, offlineSent, offlineDelivered, duplicatesDropped, offlineLost, onlineSent, onlineDelivered,
                onlineLost(), onlineLostDropped, onlineLostUnconfirmed, onlineLostClaimed, accepted, refused,
                unanswered, phantoms, duplicatesToListener, settledIn.toMillis() / 1000.0);
    }
}
