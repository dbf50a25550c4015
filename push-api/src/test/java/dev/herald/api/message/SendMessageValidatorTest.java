package dev.herald.api.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.api.PushApiProperties;
import dev.herald.api.problem.FieldProblem;
import dev.herald.api.problem.ProblemCode;
import dev.herald.core.message.TargetKind;
import dev.herald.web.problem.Problems;
import dev.herald.web.problem.RejectedRequestException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SendMessageValidatorTest {

    private final SendMessageValidator validator = new SendMessageValidator(new PushApiProperties("default", 8,
            Duration.ofHours(24), Duration.ofDays(7), 3, Duration.ofDays(30), Duration.ofDays(365), 3,
            new PushApiProperties.Auth(true, Duration.ofMinutes(5)), Duration.ofMillis(100), "http://localhost:8086",
            Duration.ofSeconds(5)));

    @Test
    void appliesDefaultsAndKeepsTheFirstOccurrenceOfEachDevice() {
        OutgoingMessage message = validator.validate(
                new SendMessageRequest(null, List.of("b", "a", "b"), null, "hi", null, null, null), null);
        assertThat(message.kind()).isEqualTo(TargetKind.DEVICES);
        assertThat(message.devices()).containsExactly("b", "a");
        assertThat(message.targets()).isEqualTo(2);
        assertThat(message.offline()).isTrue();
        assertThat(message.ttl()).isEqualTo(Duration.ofHours(24));
    }

    @Test
    void broadcastFalseIsNoTarget() {
        assertThat(errors(new SendMessageRequest(null, null, false, "hi", null, null, null)))
                .extracting(FieldProblem::field).containsExactly("target");
    }

    @Test
    void tooManyDevicesAreRejectedBeforeDeduplication() {
        assertThat(errors(new SendMessageRequest(null, List.of("a", "b", "c", "a"), null, "hi", null, null, null)))
                .extracting(FieldProblem::message).singleElement().asString().contains("at most 3");
    }

    @Test
    void nullDeviceIdInTheListIsNamed() {
        List<String> ids = new ArrayList<>(Arrays.asList("a", null));
        assertThat(errors(new SendMessageRequest(null, ids, null, "hi", null, null, null)))
                .extracting(FieldProblem::field).containsExactly("deviceIds[1]");
    }

    @Test
    void unpairedSurrogateIsInvalidText() {
        assertThat(errors(new SendMessageRequest("d", null, null, "a\uD800b", null, null, null)))
                .extracting(FieldProblem::code).containsExactly(ProblemCode.INVALID_PAYLOAD);
    }

    @Test
    void payloadLimitCountsDecodedBytes() {
        // 8 bytes encode to 12 base64 characters: at the limit, accepted.
        assertThat(validator.validate(new SendMessageRequest("d", null, null, null, "AAAAAAAAAAA=", null, null), null)
                .payload()).hasSize(8);
        RejectedRequestException tooLarge = rejected(new SendMessageRequest("d", null, null, null, "AAAAAAAAAAAA", null, null));
        assertThat(tooLarge.problem().getStatus()).isEqualTo(413);
        assertThat(tooLarge.problem().getDetail()).isEqualTo("The payload is 9 bytes; the limit is 8 bytes.");
    }

    @Test
    void twoPayloadsAreRejected() {
        assertThat(errors(new SendMessageRequest("d", null, null, "hi", "aGk=", null, null)))
                .extracting(FieldProblem::field).containsExactly("payload");
    }

    private List<FieldProblem> errors(SendMessageRequest request) {
        @SuppressWarnings("unchecked")
        List<FieldProblem> errors = (List<FieldProblem>) rejected(request).problem().getProperties().get(Problems.ERRORS);
        return errors;
    }

    private RejectedRequestException rejected(SendMessageRequest request) {
        return (RejectedRequestException) assertThatThrownBy(() -> validator.validate(request, null))
                .isInstanceOf(RejectedRequestException.class).actual();
    }
}
