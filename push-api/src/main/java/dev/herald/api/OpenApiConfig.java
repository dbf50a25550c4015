package dev.herald.api;

import dev.herald.api.problem.ProblemDocument;
import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeIn;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.info.License;
import io.swagger.v3.oas.annotations.security.SecurityScheme;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import java.util.Map;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI description served at {@code /v3/api-docs} (Swagger UI at {@code /swagger-ui.html}). The
 * problem answers every operation shares (401, 403, 500, 503) are added here once instead of on each
 * operation.
 */
@Configuration(proxyBeanMethods = false)
@OpenAPIDefinition(info = @Info(title = "Herald Push API", version = "v1",
        description = """
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
        license = @License(name = "Apache-2.0", url = "https://www.apache.org/licenses/LICENSE-2.0")))
@SecurityScheme(name = OpenApiConfig.SIGNATURE_SCHEME, type = SecuritySchemeType.APIKEY, in = SecuritySchemeIn.HEADER,
        paramName = "Authorization", description = """
                `HERALD-HMAC-SHA256 key="<app key>", ts=<epoch seconds>, nonce=<16-64 of [A-Za-z0-9_-]>, sig=<hex>`: \
                the HMAC-SHA256, keyed with an app secret, of the lines `HERALD-HMAC-SHA256`, key, ts, nonce, METHOD, \
                raw path, raw query and hex SHA-256 of the body, joined by newlines.""")
@SecurityScheme(name = OpenApiConfig.SECURITY_SCHEME, type = SecuritySchemeType.HTTP, scheme = "basic",
        description = "HTTP Basic with your app's key as the user name and its secret as the password, where the "
                + "server allows it (herald.api.auth.basic-enabled).")
public class OpenApiConfig {

    public static final String SECURITY_SCHEME = "appKeyAndSecret";
    public static final String SIGNATURE_SCHEME = "appSignature";
    public static final String PROBLEM_SCHEMA = "Problem";
    public static final String PROBLEM_SCHEMA_REF = "#/components/schemas/" + PROBLEM_SCHEMA;

    @Bean
    OpenApiCustomizer commonProblemResponses() {
        return openApi -> {
            Components components = openApi.getComponents() == null ? new Components() : openApi.getComponents();
            openApi.setComponents(components);
            for (Map.Entry<String, Schema> schema : ModelConverters.getInstance().read(ProblemDocument.class).entrySet()) {
                components.addSchemas(schema.getKey(), schema.getValue());
            }
            if (openApi.getPaths() == null) {
                return;
            }
            openApi.getPaths().forEach((path, item) -> {
                if (path.startsWith("/v1/")) {
                    item.readOperations().forEach(OpenApiConfig::addCommonProblems);
                }
            });
        };
    }

    private static void addCommonProblems(Operation operation) {
        ApiResponses responses = operation.getResponses() == null ? new ApiResponses() : operation.getResponses();
        operation.setResponses(responses);
        responses.addApiResponse("401", problem("Missing or wrong credentials or signature (`UNAUTHORIZED`; a "
                + "signature that does not match comes with the server's `stringToSign`), a signed request whose "
                + "timestamp is more than the allowed skew from the server's clock (`REQUEST_EXPIRED`, with "
                + "`serverTime`), or a nonce used before (`REQUEST_REPLAYED`).")
                .addHeaderObject("WWW-Authenticate", new Header().description("The authentication schemes accepted")
                        .schema(new StringSchema()._default("HERALD-HMAC-SHA256 realm=\"herald\""))));
        responses.addApiResponse("403", problem("The credentials belong to another app than the one in the path "
                + "(`FORBIDDEN`), or the client address is blacklisted (`FORBIDDEN_ADDRESS`)."));
        responses.addApiResponse("500", problem("An unexpected error; it is logged (`INTERNAL_ERROR`)."));
        responses.addApiResponse("503", problem("Redis is unavailable (`UNAVAILABLE`); nothing was done. Retry "
                + "after the `Retry-After` seconds.")
                .addHeaderObject("Retry-After", new Header().description("Seconds to wait before retrying")
                        .schema(new StringSchema().example("1"))));
    }

    private static ApiResponse problem(String description) {
        return new ApiResponse().description(description).content(new Content().addMediaType(
                org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                new MediaType().schema(new Schema<>().$ref(PROBLEM_SCHEMA_REF))));
    }
}
