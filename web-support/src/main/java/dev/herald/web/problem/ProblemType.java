package dev.herald.web.problem;

import java.net.URI;
import java.util.Locale;
import org.springframework.http.HttpStatus;

/**
 * The shape of a service's problem codes: each service lists its own in an enum that implements this. The
 * name travels as the {@code code} member of the problem document, so clients can branch on it without
 * parsing {@code detail}; {@link #type()} is the RFC 9457 type URI, {@code urn:herald:problem:<code>} in
 * kebab case, the same scheme in every service.
 */
public interface ProblemType {

    String TYPE_PREFIX = "urn:herald:problem:";

    /** The code, as clients see it in {@code code}: an enum constant's name. */
    String name();

    HttpStatus status();

    String title();

    default URI type() {
        return URI.create(TYPE_PREFIX + name().toLowerCase(Locale.ROOT).replace('_', '-'));
    }
}
