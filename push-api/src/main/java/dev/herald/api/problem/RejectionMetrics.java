package dev.herald.api.problem;

import dev.herald.web.problem.ProblemListener;
import dev.herald.web.problem.Problems;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;

/** Counts every problem answered, as {@code herald.api.requests.rejected{reason=<ProblemCode>}}. */
@Component
public final class RejectionMetrics implements ProblemListener {

    private final Map<ProblemCode, Counter> counters = new EnumMap<>(ProblemCode.class);

    public RejectionMetrics(MeterRegistry registry) {
        for (ProblemCode code : ProblemCode.values()) {
            counters.put(code, Counter.builder("herald.api.requests.rejected")
                    .description("Requests answered with a problem document, by problem code")
                    .tag("reason", code.name())
                    .register(registry));
        }
    }

    @Override
    public void answered(ProblemDetail problem) {
        Object code = problem.getProperties() == null ? null : problem.getProperties().get(Problems.CODE);
        ProblemCode parsed;
        try {
            parsed = code == null ? ProblemCode.forStatus(problem.getStatus()) : ProblemCode.valueOf(code.toString());
        } catch (IllegalArgumentException e) {
            parsed = ProblemCode.forStatus(problem.getStatus());
        }
        counters.get(parsed).increment();
    }
}
