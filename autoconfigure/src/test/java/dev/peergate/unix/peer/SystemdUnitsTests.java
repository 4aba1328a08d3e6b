package dev.peergate.unix.peer;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SystemdUnitsTests {

	@Test
	void findsTheServiceBelowSlices() {
		assertThat(SystemdUnits.unitOf(List.of("0::/system.slice/sshd.service"))).contains("sshd.service");
		assertThat(SystemdUnits.unitOf(List.of("0::/a.slice/a-b.slice/helper@1.service/payload")))
			.contains("helper@1.service");
	}

	@Test
	void reportsTheUserManagerForUserUnits() {
		assertThat(SystemdUnits.unitOf(List.of("0::/user.slice/user-1000.slice/user@1000.service/app.slice/x.service")))
			.contains("user@1000.service");
	}

	@Test
	void findsNoUnitForTheRootOrANonUnitCgroup() {
		assertThat(SystemdUnits.unitOf(List.of("0::/"))).isEmpty();
		assertThat(SystemdUnits.unitOf(List.of("0::/docker/abc123"))).isEmpty();
	}

	@Test
	void usesTheNamedSystemdHierarchyOnHybridSystems() {
		assertThat(SystemdUnits.unitOf(List.of("4:memory:/x", "1:name=systemd:/system.slice/cron.service", "0::/")))
			.contains("cron.service");
	}

}
