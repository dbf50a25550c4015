package dev.herald.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.protocol.ErrorCode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReconnectPolicyTest {

    private static final List<ErrorCode> PERMANENT = List.of(ErrorCode.BAD_TOKEN, ErrorCode.TOKEN_EXPIRED,
            ErrorCode.UNKNOWN_APP, ErrorCode.TOO_MANY_APPS, ErrorCode.UNSUPPORTED_VERSION, ErrorCode.SESSION_REPLACED);

    @Test
    void aReasonARetryWouldMeetAgainStopsReconnectingOnlyWhenTheServerGaveIt() {
        for (ErrorCode reason : PERMANENT) {
            assertThat(ReconnectPolicy.retryWouldBeRefused(reason, true, false)).as("%s from the server", reason).isTrue();
            assertThat(ReconnectPolicy.retryWouldBeRefused(reason, true, true)).as("%s in a CONNACK", reason).isTrue();
            assertThat(ReconnectPolicy.retryWouldBeRefused(reason, false, false)).as("%s not from the server", reason).isFalse();
        }
    }

    @Test
    void passingTroubleIsRetried() {
        for (ErrorCode reason : new ErrorCode[] {ErrorCode.SERVER_SHUTDOWN, ErrorCode.HEARTBEAT_TIMEOUT,
                ErrorCode.HANDSHAKE_TIMEOUT, ErrorCode.INTERNAL_ERROR, null}) {
            assertThat(ReconnectPolicy.retryWouldBeRefused(reason, true, false)).as("%s", reason).isFalse();
            assertThat(ReconnectPolicy.retryWouldBeRefused(reason, false, false)).as("%s", reason).isFalse();
        }
    }

    @Test
    void aConnectRefusedAsMalformedIsNotRetriedButAMalformedFrameLaterIs() {
        assertThat(ReconnectPolicy.retryWouldBeRefused(ErrorCode.MALFORMED_FRAME, true, true)).isTrue();
        assertThat(ReconnectPolicy.retryWouldBeRefused(ErrorCode.MALFORMED_FRAME, true, false)).isFalse();
    }

    @Test
    void theDelayGrowsWithEachFailedAttemptAndStartsOverOnceConnected() {
        ReconnectPolicy policy = ReconnectPolicy.withBackoff(new Backoff(Duration.ofMillis(100), Duration.ofSeconds(10)));

        assertThat(policy.enabled()).isTrue();
        assertThat(policy.nextDelayMillis()).isBetween(50L, 100L);
        assertThat(policy.nextDelayMillis()).isBetween(100L, 200L);
        assertThat(policy.nextDelayMillis()).isBetween(200L, 400L);
        policy.connected();
        assertThat(policy.nextDelayMillis()).isBetween(50L, 100L);
    }

    @Test
    void neverHasNoDelayToGive() {
        ReconnectPolicy policy = ReconnectPolicy.never();

        assertThat(policy.enabled()).isFalse();
        assertThatThrownBy(policy::nextDelayMillis).isInstanceOf(IllegalStateException.class);
    }
}
