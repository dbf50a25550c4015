package dev.herald.client;

import dev.herald.protocol.Frame;
import dev.herald.protocol.FrameCodec;
import dev.herald.protocol.MessageId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;

/**
 * Acknowledgements gathered during one read batch, sent as one ACK frame (more only past the
 * protocol's limit of {@value FrameCodec#MAX_IDS_PER_ACK} ids per frame). Not thread-safe.
 */
final class AckBatch {

    private final List<MessageId> ids = new ArrayList<>();
    private final Map<String, Long> cursors = new LinkedHashMap<>();

    void add(MessageId id) {
        ids.add(id);
    }

    /** Records that the app's broadcast cursor moved to {@code seq}; only the highest is sent. */
    void cursor(String appId, long seq) {
        cursors.merge(appId, seq, Math::max);
    }

    boolean isEmpty() {
        return ids.isEmpty() && cursors.isEmpty();
    }

    /** The frames to send, emptying the batch; cursors ride on the last frame. */
    List<Frame.Ack> drain(IntSupplier seq) {
        if (isEmpty()) {
            return List.of();
        }
        List<Frame.Cursor> cursorList = new ArrayList<>(cursors.size());
        cursors.forEach((app, s) -> cursorList.add(new Frame.Cursor(app, s)));
        List<Frame.Ack> frames = new ArrayList<>(1 + ids.size() / FrameCodec.MAX_IDS_PER_ACK);
        int from = 0;
        do {
            int to = Math.min(ids.size(), from + FrameCodec.MAX_IDS_PER_ACK);
            boolean last = to == ids.size();
            frames.add(new Frame.Ack(seq.getAsInt(), ids.subList(from, to), last ? cursorList : List.of()));
            from = to;
        } while (from < ids.size());
        ids.clear();
        cursors.clear();
        return frames;
    }
}
