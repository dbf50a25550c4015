package dev.herald.config.snapshot;

import dev.herald.core.app.App;
import dev.herald.core.app.AppDirectory;
import java.util.Collection;
import java.util.Optional;

/** The apps of the current {@link ConfigSnapshot}: a new app is found as soon as its snapshot is swapped in. */
public final class SnapshotAppDirectory implements AppDirectory {

    private final ConfigWatcher watcher;

    public SnapshotAppDirectory(ConfigWatcher watcher) {
        this.watcher = watcher;
    }

    @Override
    public Optional<App> find(String appId) {
        return watcher.current().app(appId);
    }

    @Override
    public Collection<App> apps() {
        return watcher.current().apps().values();
    }

    @Override
    public Optional<App> findByKey(String key) {
        return watcher.current().appByKey(key);
    }
}
