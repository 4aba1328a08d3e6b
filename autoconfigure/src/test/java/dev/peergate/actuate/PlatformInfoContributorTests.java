package dev.peergate.actuate;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.info.Info;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The platform facts of {@code /actuator/info}, as this machine reports them. */
class PlatformInfoContributorTests {

	@Test
	@SuppressWarnings("unchecked")
	void reportsTheLinuxKernelAndItsPidfdSupportWithoutMacOsFacts() {
		assumeTrue(System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux"), "needs Linux");
		Info.Builder builder = new Info.Builder();
		new PlatformInfoContributor(List::of).contribute(builder);
		Map<String, Object> peergate = (Map<String, Object>) builder.build().get("peergate");
		String kernel = (String) peergate.get("kernel");
		assertThat(kernel).isNotBlank();
		assertThat(peergate).containsEntry("soPeerPidfd", PlatformInfoContributor.atLeast(kernel, 6, 5))
			.containsEntry("pidfdGetInfo", PlatformInfoContributor.atLeast(kernel, 6, 13))
			.containsEntry("transports", List.of("unix", "in-process"))
			.doesNotContainKeys("macOsVersion", "xpc");
	}

	@Test
	void comparesKernelReleasesByMajorAndMinor() {
		assertThat(PlatformInfoContributor.atLeast("6.5.0-1-amd64", 6, 5)).isTrue();
		assertThat(PlatformInfoContributor.atLeast("6.12.9", 6, 13)).isFalse();
		assertThat(PlatformInfoContributor.atLeast("7.0", 6, 13)).isTrue();
		assertThat(PlatformInfoContributor.atLeast("unknown", 6, 5)).isFalse();
	}

}
