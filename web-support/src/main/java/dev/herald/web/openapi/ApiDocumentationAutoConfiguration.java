package dev.herald.web.openapi;

import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponses;
import java.util.Map;
import java.util.TreeMap;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/**
 * The OpenAPI description of a service that declares an {@link ApiDocumentation}: its title and description
 * (version v1, Apache-2.0, as every Herald API), its security schemes, the problem document's schema, and the
 * problem answers its operations share. Operations describe only their own answers.
 */
@AutoConfiguration
@ConditionalOnClass(OpenApiCustomizer.class)
@ConditionalOnBean(ApiDocumentation.class)
public class ApiDocumentationAutoConfiguration {

    @Bean
    OpenAPI heraldOpenApi(ApiDocumentation documentation) {
        return new OpenAPI()
                .info(new Info().title(documentation.title()).version("v1").description(documentation.description())
                        .license(new License().name("Apache-2.0").url("https://www.apache.org/licenses/LICENSE-2.0")))
                .components(new Components().securitySchemes(new TreeMap<>(documentation.securitySchemes())));
    }

    @Bean
    OpenApiCustomizer heraldCommonProblemResponses(ApiDocumentation documentation) {
        return openApi -> {
            Components components = openApi.getComponents() == null ? new Components() : openApi.getComponents();
            openApi.setComponents(components);
            for (Map.Entry<String, Schema> schema
                    : ModelConverters.getInstance().read(documentation.problemSchema()).entrySet()) {
                components.addSchemas(schema.getKey(), schema.getValue());
            }
            if (openApi.getPaths() == null) {
                return;
            }
            openApi.getPaths().forEach((path, item) -> {
                if (path.startsWith(documentation.pathPrefix())) {
                    item.readOperations().forEach(operation -> addCommonProblems(operation, documentation));
                }
            });
        };
    }

    private static void addCommonProblems(Operation operation, ApiDocumentation documentation) {
        ApiResponses responses = operation.getResponses() == null ? new ApiResponses() : operation.getResponses();
        operation.setResponses(responses);
        new TreeMap<>(documentation.commonProblems()).forEach(responses::addApiResponse);
    }
}
