package dev.peergate.autoconfigure;

import dev.peergate.core.VerdictLedger;
import dev.peergate.handler.HandlerExecutor;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;

/**
 * Peergate under a service manager: systemd's readiness, status and watchdog notifications
 * ({@code peergate.systemd.notify.enabled}, on by default; inert unless systemd set {@code NOTIFY_SOCKET}).
 *
 * <pre>{@code
 * # the unit: Type=notify, WatchdogSec=30s, Restart=on-failure
 * peergate:
 *   systemd:
 *     notify:
 *       enabled: true
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

}
