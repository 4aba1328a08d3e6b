package dev.peergate.autoconfigure;

import dev.peergate.unix.UnixListenerOptions;

/**
 * Adjusts the options of each Unix listener before {@link UnixListenerFactory} creates it, after the properties
 * were applied. Customizer beans are applied in {@link org.springframework.core.annotation.Order order}.
 *
 * <pre>{@code
 * @Bean
 * UnixListenerCustomizer moreIoThreadsForTheBusyListener() {
 *     return (name, options) -> name.equals("busy") ? options.withIoThreads(2) : options;
 * }
 * }</pre>
 */
@FunctionalInterface
public interface UnixListenerCustomizer {

	/** The options to create listener {@code name} with; {@code options} unchanged when there is nothing to do. */
	UnixListenerOptions customize(String name, UnixListenerOptions options);

}
