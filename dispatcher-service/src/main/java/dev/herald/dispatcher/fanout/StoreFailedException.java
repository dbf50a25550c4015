package dev.herald.dispatcher.fanout;

/** A batch's offline copies or routes could not be written or read, so none of the batch was delivered. */
public final class StoreFailedException extends RuntimeException {

    StoreFailedException(int messages, Throwable cause) {
        super("could not store " + messages + " offline message(s) and look up routes: " + cause, cause);
    }
}
