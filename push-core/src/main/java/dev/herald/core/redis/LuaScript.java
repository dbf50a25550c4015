package dev.herald.core.redis;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;

/**
 * A Lua script for the hot path's pipelines ({@link RedisPipeline}), sent by its SHA-1 (EVALSHA): the text, a few
 * hundred bytes, is neither encoded by the client nor hashed by Redis on every call (profiled: encoding script
 * text was the dispatcher's largest single cost). A Redis that does not know the script yet (first use, or a
 * restart emptied its cache) answers NOSCRIPT; the call is then sent once more with the text (EVAL), which also
 * caches it, and flushed at once since the pipeline's own flush has already passed. That second send runs after
 * the rest of its round, so a {@link RedisPipeline} loads its scripts when it connects and the fallback is for
 * a cache lost while connected (a Redis restart, SCRIPT FLUSH): a round whose order matters (the dispatcher's
 * pending entries before its route reads) may then run out of order once, which delays a message to a device
 * that connects in that instant until its next connect; it is stored either way.
 */
public final class LuaScript {

    private final String text;
    private final String sha;

    private LuaScript(String text) {
        this.text = text;
        this.sha = sha1(text);
    }

    /** The script's text without its comment lines. */
    public static LuaScript of(String text) {
        return new LuaScript(text.lines()
                .filter(line -> !line.stripLeading().startsWith("--"))
                .collect(Collectors.joining("\n")));
    }

    /** A script read once from the classpath ({@code path} like {@code offline-scripts/ack.lua}). */
    public static LuaScript fromClasspath(String path) {
        try (InputStream in = LuaScript.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("Lua script " + path + " is missing from the classpath");
            }
            return of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("Lua script " + path + " could not be read", e);
        }
    }

    public String sha() {
        return sha;
    }

    public String text() {
        return text;
    }

    /** Issues the script on {@code commands}; the caller's pipeline flushes it with the rest of its round. */
    public <T> CompletableFuture<T> eval(RedisClusterAsyncCommands<String, String> commands, ScriptOutputType type,
                                         List<String> keys, List<String> args) {
        return eval(commands, type, keys.toArray(String[]::new), args.toArray(String[]::new));
    }

    /** The same with the keys and arguments in arrays. */
    public <T> CompletableFuture<T> eval(RedisClusterAsyncCommands<String, String> commands, ScriptOutputType type,
                                         String[] k, String[] a) {
        return commands.<T>evalsha(sha, type, k, a).toCompletableFuture().exceptionallyCompose(error -> {
            if (!(unwrap(error) instanceof RedisNoScriptException)) {
                return CompletableFuture.failedFuture(error);
            }
            CompletableFuture<T> again = commands.<T>eval(text, type, k, a).toCompletableFuture();
            commands.flushCommands();
            return again;
        });
    }

    private static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    private static String sha1(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is missing from this JVM", e);
        }
    }
}
