package dev.peergate.test.example;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The application whose handlers {@code @PeergateTest} starts; its other beans stay out of the test. */
@SpringBootApplication
public class GreeterApplication {

}
