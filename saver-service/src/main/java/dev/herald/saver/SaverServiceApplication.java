package dev.herald.saver;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class SaverServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(SaverServiceApplication.class, args);
    }
}
