package dev.herald.config.snapshot;

import dev.herald.core.app.IpBlacklist;
import java.net.InetAddress;

/** The blacklist of the current {@link ConfigSnapshot} ({@code global/blacklist-ips}). */
public final class SnapshotIpBlacklist implements IpBlacklist {

    private final ConfigWatcher watcher;

    public SnapshotIpBlacklist(ConfigWatcher watcher) {
        this.watcher = watcher;
    }

    @Override
    public boolean blocks(InetAddress address) {
        return watcher.current().blacklist().blocks(address);
    }
}
