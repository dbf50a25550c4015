package dev.herald.api;

import dev.herald.api.problem.ProblemDocument;
import dev.herald.web.openapi.ApiDocumentation;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.util.Map;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What push-api's OpenAPI description says (served at {@code /v3/api-docs}, Swagger UI at
 * {@code /swagger-ui.html}); web-support builds it. The problem answers every operation shares (401, 403, 500,
 * 503) are listed here once instead of on each operation.
 */
@Configuration(proxyBeanMethods = false)
public class OpenApiConfig {

    public static final String SECURITY_SCHEME = "appKeyAndSecret";
    public static final String SIGNATURE_SCHEME = "appSignature";

    @Bean
    ApiDocumentation pushApiDocumentation() {
        return new ApiDocumentation("Herald Push API", """
                REST API for product teams: push messages to your app's devices (one, many or all of them), follow \
                their delivery, and mint the tokens your devices connect with.

                Authenticate every call by signing it: `Authorization: HERALD-HMAC-SHA256 key="<app key>", \
                ts=<epoch seconds>, nonce=<random>, sig=<hex HMAC-SHA256>` over the method, path, query, timestamp, \
                nonce and the SHA-256 of the body, keyed with one of your app's secrets (docs/security.md has the \
                recipe and a curl script). The timestamp must be within 5 minutes of the server's clock and each \
                nonce is accepted once. Where the operator allows it (the local demo does), HTTP Basic with your \
                app's **key** as the user name and its **secret** as the password works too. Credentials only \
                work on their own app's paths (`/v1/apps/{appId}/...`).

                Errors are RFC 9457 problem documents (`application/problem+json`) with a machine-readable `code`.""",
                Map.of(SIGNATURE_SCHEME, new SecurityScheme().type(SecurityScheme.Type.APIKEY)
                                .in(SecurityScheme.In.HEADER).name("Authorization").description("""
                                        `HERALD-HMAC-SHA256 key="<app key>", ts=<epoch seconds>, nonce=<16-64 of \
                                        [A-Za-z0-9_-]>, sig=<hex>`: the HMAC-SHA256, keyed with an app secret, of the \
                                        lines `HERALD-HMAC-SHA256`, key, ts, nonce, METHOD, raw path, raw query and hex \
                                        SHA-256 of the body, joined by newlines."""),
                        SECURITY_SCHEME, new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("basic")
                                .description("HTTP Basic with your app's key as the user name and its secret as the "
                                        + "password, where the server allows it (herald.api.auth.basic-enabled).")),
                "/v1/", ProblemDocument.class,
                Map.of("401", ApiDocumentation.problem("Missing or wrong credentials or signature (`UNAUTHORIZED`; a "
                                + "signature that does not match comes with the server's `stringToSign`), a signed "
                                + "request whose timestamp is more than the allowed skew from the server's clock "
                                + "(`REQUEST_EXPIRED`, with `serverTime`), or a nonce used before (`REQUEST_REPLAYED`).")
                                .addHeaderObject("WWW-Authenticate", new Header()
                                        .description("The authentication schemes accepted")
                                        .schema(new StringSchema()._default("HERALD-HMAC-SHA256 realm=\"herald\""))),
                        "403", ApiDocumentation.problem("The credentials belong to another app than the one in the "
                                + "path (`FORBIDDEN`), or the client address is blacklisted (`FORBIDDEN_ADDRESS`)."),
                        "500", ApiDocumentation.problem("An unexpected error; it is logged (`INTERNAL_ERROR`)."),
                        "503", ApiDocumentation.problem("Redis is unavailable (`UNAVAILABLE`); nothing was done. "
                                + "Retry after the `Retry-After` seconds.")
                                .addHeaderObject("Retry-After", new Header()
                                        .description("Seconds to wait before retrying")
                                        .schema(new StringSchema().example("1")))));
    }
}
