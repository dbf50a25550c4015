package dev.herald.web.problem;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.http.codec.ServerCodecConfigurer;

/** The {@link ProblemWriter} of a WebFlux service, telling the service's {@link ProblemListener}s. */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
public class ProblemAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    ProblemWriter heraldProblemWriter(ServerCodecConfigurer codecs, ObjectProvider<ProblemListener> listeners) {
        return new ProblemWriter(codecs, listeners.orderedStream().toList());
    }
}
