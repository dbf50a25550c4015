package dev.herald.api;

import dev.herald.testsupport.RedisExtension;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One {@link RedisExtension} server for every push-api test class that shares the application context:
 * started before the first such class, stopped when the test run ends. Spring then reuses one cached
 * context for all of them instead of starting one per class, which keeps the suite fast on a small machine.
 * Tests stay independent because every message has a fresh id and stream assertions compare lengths.
 */
public final class SharedRedis implements BeforeAllCallback {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SharedRedis.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        ExtensionContext root = context.getRoot();
        root.getStore(NAMESPACE).computeIfAbsent(Running.class, type -> Running.start(root), Running.class);
    }

    /** Closed by JUnit with the root store, after the last test class (and Spring's context cache holders). */
    private record Running(RedisExtension redis, ExtensionContext root) implements AutoCloseable {

        static Running start(ExtensionContext root) {
            RedisExtension redis = new RedisExtension();
            redis.beforeAll(root);
            return new Running(redis, root);
        }

        @Override
        public void close() throws Exception {
            redis.afterAll(root);
        }
    }
}
