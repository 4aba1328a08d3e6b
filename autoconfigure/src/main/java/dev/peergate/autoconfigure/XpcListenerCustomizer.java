package dev.peergate.autoconfigure;

import dev.peergate.xpc.XpcListenerOptions;

/**
 * Adjusts the options of each XPC listener before {@link XpcListenerFactory} creates it, after the properties were
 * applied. Customizer beans are applied in {@link org.springframework.core.annotation.Order order}.
 *
 * <pre>{@code
 * @Bean
 * XpcListenerCustomizer explainRejectionsClauseByClause() {
 *     return (name, options) -> options.withExplainer(new ClauseRejectionExplainer(requirement));
 * }
 * }</pre>
 */
@FunctionalInterface
public interface XpcListenerCustomizer {

	/** The options to create listener {@code name} with; {@code options} unchanged when there is nothing to do. */
	XpcListenerOptions customize(String name, XpcListenerOptions options);

}
