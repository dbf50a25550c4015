package dev.herald.saver;

import java.time.Clock;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;

@SpringBootApplication
@ConfigurationPropertiesScan
public class SaverServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(SaverServiceApplication.class, args);
    }

    /** Expiry checks compare with this clock; epoch milliseconds as everywhere in Herald. */
    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }
}
