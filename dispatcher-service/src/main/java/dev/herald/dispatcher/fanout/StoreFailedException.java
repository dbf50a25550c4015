package dev.herald.dispatcher.fanout;

/** The saver did not store a batch's offline-flagged messages, so none of the batch was delivered. */
public final class StoreFailedException extends RuntimeException {

    StoreFailedException(int messages, Throwable cause) {
        super("saver did not store " + messages + " offline message(s): " + cause, cause);
    }
}
