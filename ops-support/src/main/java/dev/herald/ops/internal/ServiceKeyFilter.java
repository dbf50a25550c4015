package dev.herald.ops.internal;

import dev.herald.web.auth.SecretHeaderFilter;
import dev.herald.web.problem.ProblemWriter;
import dev.herald.web.problem.Problems;
import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/**
 * Closes {@code /internal/**} to callers without the service key ({@link ServiceKey#HEADER}): 401 with a
 * problem document ({@code code} {@code SERVICE_KEY_REQUIRED}), before any handler (so before the body is
 * read or anything is touched). Other paths pass; the actuator lives on the management port anyway.
 */
public final class ServiceKeyFilter extends SecretHeaderFilter {

    static final String PROTECTED_PREFIX = "/internal/";
    static final String CODE = "SERVICE_KEY_REQUIRED";
    private static final URI ABOUT_BLANK = URI.create("about:blank");

    private final ServiceKey key;

    public ServiceKeyFilter(ServiceKey key, ProblemWriter problems) {
        super(PROTECTED_PREFIX, ServiceKey.HEADER, "HeraldServiceKey", problems);
        this.key = key;
    }

    @Override
    protected boolean accepts(String presented) {
        return key.accepts(presented);
    }

    @Override
    protected ProblemDetail refusal(String presented) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.UNAUTHORIZED, presented == null
                ? "Internal APIs need the service key in the " + ServiceKey.HEADER + " header (herald.internal.service-key)."
                : "The " + ServiceKey.HEADER + " header does not hold the current or previous service key.");
        // Spelled out: a problem left at the default type is written without one.
        problem.setType(ABOUT_BLANK);
        problem.setProperty(Problems.CODE, CODE);
        return problem;
    }
}
