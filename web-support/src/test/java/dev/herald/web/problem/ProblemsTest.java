package dev.herald.web.problem;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

class ProblemsTest {

    @Test
    void aProblemCarriesItsCodesTypeTitleStatusAndName() {
        ProblemDetail problem = Problems.of(TestProblem.VERSION_CONFLICT, "apps/demo is at version 4, not 3.");

        assertThat(problem.getType()).isEqualTo(URI.create("urn:herald:problem:version-conflict"));
        assertThat(problem.getTitle()).isEqualTo("Version conflict");
        assertThat(problem.getStatus()).isEqualTo(409);
        assertThat(problem.getDetail()).isEqualTo("apps/demo is at version 4, not 3.");
        assertThat(problem.getProperties()).containsEntry(Problems.CODE, "VERSION_CONFLICT")
                .doesNotContainKey(Problems.ERRORS);
    }

    @Test
    void fieldProblemsAreListedOnlyWhenThereAreAny() {
        assertThat(Problems.of(TestProblem.MALFORMED_REQUEST, "x", List.of()).getProperties())
                .doesNotContainKey(Problems.ERRORS);
        assertThat(Problems.of(TestProblem.MALFORMED_REQUEST, "x", List.of("a", "b")).getProperties())
                .containsEntry(Problems.ERRORS, List.of("a", "b"));
    }

    @Test
    void aFrameworkProblemGetsTheCodeOfItsStatusAndACodedOneKeepsItsOwn() {
        ProblemDetail framework = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, "Conflict");
        Problems.classify(framework, TestProblem::forStatus);
        assertThat(framework.getProperties()).containsEntry(Problems.CODE, "VERSION_CONFLICT");
        assertThat(framework.getType()).isEqualTo(URI.create("urn:herald:problem:version-conflict"));

        ProblemDetail own = Problems.of(TestProblem.UNAUTHORIZED, HttpStatus.CONFLICT, "odd but ours");
        Problems.classify(own, TestProblem::forStatus);
        assertThat(own.getProperties()).containsEntry(Problems.CODE, "UNAUTHORIZED");
        assertThat(own.getTitle()).isEqualTo("Unauthorized");
    }

    @Test
    void retryAfterIsWholeSecondsRoundedUpAndAtLeastOne() {
        assertThat(new RejectedRequestException(Problems.of(TestProblem.INTERNAL_ERROR, "x")).retryAfterSeconds())
                .isNull();
        assertThat(new RejectedRequestException(Problems.of(TestProblem.INTERNAL_ERROR, "x"),
                java.time.Duration.ofMillis(1001)).retryAfterSeconds()).isEqualTo("2");
        assertThat(RejectedRequestException.seconds(java.time.Duration.ZERO)).isEqualTo(1);
    }
}
