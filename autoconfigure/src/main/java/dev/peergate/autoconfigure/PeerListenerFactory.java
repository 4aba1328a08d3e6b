package dev.peergate.autoconfigure;

import dev.peergate.core.PeerListener;

/**
 * Builds the listeners of one transport from their definitions. The auto-configuration declares one bean per
 * transport ({@link UnixListenerFactory}, {@link XpcListenerFactory}, {@link InProcessListenerFactory}); declare a
 * bean of the same type to replace one, or a {@link UnixListenerCustomizer} / {@link XpcListenerCustomizer} to
 * adjust the listeners it builds.
 *
 * <pre>{@code
 * @Bean
 * UnixListenerFactory unixListenerFactory() {
 *     return new UnixListenerFactory(List.of((name, options) -> options.withIoThreads(2)));
 * }
 * }</pre>
 *
 * @param <D> the definitions it builds from
 */
public interface PeerListenerFactory<D extends ListenerDefinition> {

	/** The definitions this factory builds listeners from. */
	Class<D> definitionType();

	/** A listener, not started. */
	PeerListener create(D definition, ListenerServices services);

}
