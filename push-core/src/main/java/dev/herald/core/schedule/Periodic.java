package dev.herald.core.schedule;

import org.springframework.context.SmartLifecycle;

/** A bean whose work is a {@link PeriodicTask}: it runs while the application does, started and stopped with it. */
public interface Periodic extends SmartLifecycle {

    /** The task this bean runs. */
    PeriodicTask task();

    @Override
    default void start() {
        task().start();
    }

    @Override
    default void stop() {
        task().stop();
    }

    @Override
    default boolean isRunning() {
        return task().isRunning();
    }
}
