package dev.peergate.autoconfigure;

import java.nio.file.Path;
import java.util.List;

import dev.peergate.core.PeerListener;
import dev.peergate.inprocess.InProcessListener;
import dev.peergate.unix.UnixListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Listeners are built by one factory bean per transport, which an application can adjust with customizer beans or
 * replace with a bean of its own.
 */
class ListenerFactoriesTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(PeergateAutoConfiguration.class));

	@Test
	void declaresOneFactoryPerTransport() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(UnixListenerFactory.class);
			assertThat(context).hasSingleBean(XpcListenerFactory.class);
			assertThat(context).hasSingleBean(InProcessListenerFactory.class);
		});
	}

	@Test
	void appliesUnixListenerCustomizersInOrderAfterTheProperties(@TempDir Path directory) {
		this.runner.withUserConfiguration(Customizers.class)
			.withPropertyValues("peergate.listeners.helper.unix.path=" + directory.resolve("s.sock"),
					"peergate.listeners.helper.unix.io-threads=2",
					"peergate.listeners.helper.requirement.same-user=true",
					"peergate.listeners.other.unix.path=" + directory.resolve("o.sock"),
					"peergate.listeners.other.requirement.same-user=true")
			.run((context) -> {
				PeergateListeners listeners = context.getBean(PeergateListeners.class);
				// the first customizer doubles what the properties gave, the second adds one
				assertThat(((UnixListener) listeners.listener("helper").orElseThrow()).options().ioThreads())
					.isEqualTo(5);
				assertThat(((UnixListener) listeners.listener("other").orElseThrow()).options().ioThreads())
					.isEqualTo(1);
			});
	}

	@Test
	void aFactoryBeanOfTheApplicationReplacesTheDefaultOne() {
		this.runner.withUserConfiguration(OwnInProcessFactory.class)
			.withPropertyValues("peergate.listeners.helper.transport=in-process",
					"peergate.listeners.helper.requirement.same-user=true")
			.run((context) -> {
				assertThat(context).hasSingleBean(InProcessListenerFactory.class);
				assertThat(context.getBean(OwnInProcessFactory.class).created).containsExactly("helper");
				PeerListener listener = context.getBean(PeergateListeners.class).listener("helper").orElseThrow();
				assertThat(listener).isInstanceOf(InProcessListener.class);
				assertThat(listener.gate().requirement().describe()).contains("uid");
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class Customizers {

		@Bean
		@Order(1)
		UnixListenerCustomizer doubleTheHelpersIoThreads() {
			return (name, options) -> name.equals("helper") ? options.withIoThreads(options.ioThreads() * 2) : options;
		}

		@Bean
		@Order(2)
		UnixListenerCustomizer oneMoreForTheHelper() {
			return (name, options) -> name.equals("helper") ? options.withIoThreads(options.ioThreads() + 1) : options;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnInProcessFactory {

		final List<String> created = new java.util.concurrent.CopyOnWriteArrayList<>();

		@Bean
		InProcessListenerFactory recordingInProcessListenerFactory() {
			return new InProcessListenerFactory() {

				@Override
				public PeerListener create(ListenerDefinition.InProcess definition, ListenerServices services) {
					OwnInProcessFactory.this.created.add(definition.name());
					return super.create(definition, services);
				}

			};
		}

	}

}
