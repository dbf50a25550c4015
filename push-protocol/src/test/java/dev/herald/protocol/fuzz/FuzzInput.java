package dev.herald.protocol.fuzz;

import java.util.SplittableRandom;

/** One generated input of a campaign: builds it from {@code random}, runs it, records how it ended. */
@FunctionalInterface
public interface FuzzInput {

    void run(SplittableRandom random, FuzzReport report) throws Exception;
}
