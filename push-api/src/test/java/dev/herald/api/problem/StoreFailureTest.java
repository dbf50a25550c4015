package dev.herald.api.problem;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisCommandTimeoutException;
import io.netty.channel.ChannelException;
import java.net.SocketException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.QueryTimeoutException;

class StoreFailureTest {

    @Test
    void redisFailuresInAnyShapeAreStoreFailures() {
        assertThat(StoreFailure.is(new QueryTimeoutException("Redis command timed out"))).isTrue();
        assertThat(StoreFailure.is(new RedisCommandTimeoutException("HMSET timed out"))).isTrue();
        assertThat(StoreFailure.is(new SocketException("Connection reset"))).isTrue();
        assertThat(StoreFailure.is(new ChannelException("connect failed"))).isTrue();
    }

    @Test
    void aStoreFailureWrappedByAnOperatorIsFoundInTheCauseChain() {
        SocketException reset = new SocketException("Connection reset");
        Throwable wrapped = new IllegalStateException("operator failed", new CompletionException(reset));
        assertThat(StoreFailure.find(wrapped)).isSameAs(reset);
    }

    @Test
    void bugsAreNotStoreFailures() {
        assertThat(StoreFailure.is(new NullPointerException())).isFalse();
        assertThat(StoreFailure.is(new IllegalStateException("bug", new IllegalArgumentException()))).isFalse();
        assertThat(StoreFailure.is(null)).isFalse();
    }
}
