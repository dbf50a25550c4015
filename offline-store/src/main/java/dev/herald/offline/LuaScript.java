package dev.herald.offline;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/**
 * A script of the offline store, read once from {@code offline-scripts/} on the classpath and sent with EVAL. EVAL
 * rather than EVALSHA: a pipelined batch cannot stop to load a script that a restarted Redis forgot, and the
 * text is sent without its comment lines, so each call costs a few hundred bytes on loopback.
 */
record LuaScript(String name, String text) {

    static LuaScript load(String name) {
        try (InputStream in = LuaScript.class.getClassLoader().getResourceAsStream("offline-scripts/" + name)) {
            if (in == null) {
                throw new IllegalStateException("Lua script " + name + " is missing from the classpath");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return new LuaScript(name, text.lines()
                    .filter(line -> !line.stripLeading().startsWith("--"))
                    .collect(Collectors.joining("\n")));
        } catch (IOException e) {
            throw new UncheckedIOException("Lua script " + name + " could not be read", e);
        }
    }

    <T> CompletableFuture<T> eval(RedisClusterAsyncCommands<String, String> commands, ScriptOutputType type,
                                  List<String> keys, List<String> args) {
        return commands.<T>eval(text, type, keys.toArray(String[]::new), args.toArray(String[]::new))
                .toCompletableFuture();
    }
}
