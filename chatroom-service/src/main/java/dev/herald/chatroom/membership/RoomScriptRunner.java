package dev.herald.chatroom.membership;

import java.util.List;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Runs the shared room scripts ({@code RoomScripts}), whose results are arrays of strings. */
public final class RoomScriptRunner {

    private RoomScriptRunner() {
    }

    @SuppressWarnings("rawtypes")
    public static RedisScript<List> script(String lua) {
        return RedisScript.of(lua, List.class);
    }

    /** The script's result as strings, whether the driver hands the array over whole or element by element. */
    @SuppressWarnings("rawtypes")
    public static Mono<List<String>> run(ReactiveStringRedisTemplate redis, RedisScript<List> script, List<String> keys,
                                         List<String> args) {
        return redis.execute(script, keys, args)
                .flatMap(result -> result instanceof List<?> list ? Flux.fromIterable(list) : Flux.just(result))
                .map(String::valueOf)
                .collectList();
    }
}
