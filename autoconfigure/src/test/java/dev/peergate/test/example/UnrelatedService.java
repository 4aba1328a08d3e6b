package dev.peergate.test.example;

import org.springframework.stereotype.Component;

/** A bean of the application that is no handler: {@code @PeergateTest} leaves it out. */
@Component
public class UnrelatedService {

}
