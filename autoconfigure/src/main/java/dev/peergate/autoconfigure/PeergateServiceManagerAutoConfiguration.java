package dev.peergate.autoconfigure;

import java.time.Duration;

import dev.peergate.core.VerdictLedger;
import dev.peergate.handler.HandlerExecutor;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * Peergate under a service manager: systemd's readiness, status and watchdog notifications
 * ({@code peergate.systemd.notify.enabled}, on by default; inert unless systemd set {@code NOTIFY_SOCKET}), and
 * the exit of an application started on demand once it sat idle ({@code peergate.exit-on-idle}).
 *
 * <pre>{@code
 * # the unit: Type=notify, WatchdogSec=30s, Restart=on-failure
 * peergate:
 *   systemd:
 *     notify:
 *       enabled: true
 *   exit-on-idle: 5m   # socket-activated: systemd starts it again at the next connection
 * }</pre>
 */
@AutoConfiguration(after = PeergateAutoConfiguration.class)
@ConditionalOnBean(PeergateListeners.class)
public final class PeergateServiceManagerAutoConfiguration {

	@Bean
	@ConditionalOnBooleanProperty(name = "peergate.systemd.notify.enabled", matchIfMissing = true)
	SystemdNotification peergateSystemdNotification(PeergateListeners listeners, HandlerExecutor executor,
			ObjectProvider<VerdictLedger> ledger) {
		VerdictLedger verdicts = ledger.getIfUnique();
		return new SystemdNotification(listeners, executor::execute,
				listener -> (verdicts != null) ? verdicts.summary(listener.name()).rejected() : 0, System.getenv(),
				ProcessHandle.current().pid());
	}

	@Bean
	@ConditionalOnProperty("peergate.exit-on-idle")
	IdleExit peergateIdleExit(PeergateListeners listeners, PeergateProperties properties,
			ConfigurableApplicationContext context) {
		Duration idle = properties.getExitOnIdle();
		if (idle == null) {
			throw new ListenerConfigurationException("peergate.exit-on-idle", "is empty",
					"Write a duration such as 5m, or remove the property");
		}
		return new IdleExit(listeners, idle, () -> SpringApplication.exit(context, () -> 0));
	}

}
