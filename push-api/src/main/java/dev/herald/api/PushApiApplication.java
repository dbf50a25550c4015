package dev.herald.api;

import dev.herald.core.app.AppCatalog;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/** push-api: the REST intake through which app servers send messages and mint device tokens. */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableConfigurationProperties(AppCatalog.class)
public class PushApiApplication {

    public static void main(String[] args) {
        SpringApplication.run(PushApiApplication.class, args);
    }
}
