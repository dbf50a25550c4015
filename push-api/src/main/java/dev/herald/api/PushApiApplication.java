package dev.herald.api;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class PushApiApplication {

    public static void main(String[] args) {
        SpringApplication.run(PushApiApplication.class, args);
    }
}
