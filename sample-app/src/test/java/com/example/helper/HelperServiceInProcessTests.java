package com.example.helper;

import java.util.List;
import java.util.Map;

import com.sun.security.auth.module.UnixSystem;
import dev.peergate.autoconfigure.PeergateListeners;
import dev.peergate.core.PeerCredentials;
import dev.peergate.event.PeerRejectedEvent;
import dev.peergate.handler.IpcError;
import dev.peergate.handler.StandardErrors;
import dev.peergate.inprocess.InProcessConnection;
import dev.peergate.inprocess.InProcessListener;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.event.ApplicationEvents;
import org.springframework.test.context.event.RecordApplicationEvents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The helper's handlers and its {@code same-user} requirement, tested without a socket: the listener runs on the
 * in-process transport and each test states the credentials of the peer it plays.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE,
		properties = "peergate.listeners.helper.transport=in-process")
@RecordApplicationEvents
class HelperServiceInProcessTests {

	private static final long OWN_UID = new UnixSystem().getUid();

	/** A uid that is not this process's, so the {@code same-user} requirement refuses it. */
	private static final long OTHER_UID = (OWN_UID != 65534) ? 65534 : 65533;

	@Autowired
	private PeergateListeners listeners;

	@Autowired
	private ApplicationEvents events;

	private InProcessConnection connectAs(long uid) {
		InProcessListener helper = (InProcessListener) this.listeners.listener("helper").orElseThrow();
		return helper.connect(PeerCredentials.builder(InProcessListener.TRANSPORT).uid(uid).gid(uid).build());
	}

	@Test
	void statusNamesTheStatedCaller() {
		try (InProcessConnection connection = connectAs(OWN_UID)) {
			HelperService.Status status = connection.call("com.example.helper.Status", Map.of(),
					HelperService.Status.class);
			assertThat(status.callerUid()).isEqualTo(OWN_UID);
			assertThat(status.listener()).isEqualTo("helper");
		}
	}

	@Test
	void diskUsageOfAMissingPathIsTheTypedError() {
		try (InProcessConnection connection = connectAs(OWN_UID)) {
			assertThatExceptionOfType(IpcError.class)
				.isThrownBy(() -> connection.call("com.example.helper.DiskUsage", Map.of("path", "/no/such/path")))
				.satisfies(error -> {
					assertThat(error.name()).isEqualTo("com.example.helper.NoSuchPath");
					assertThat(error.parameters()).containsEntry("path", "/no/such/path");
				});
		}
	}

	@Test
	void watchLoadStreamsEverySampleInOrder() {
		try (InProcessConnection connection = connectAs(OWN_UID)) {
			List<Map<String, Object>> samples = connection.stream("com.example.helper.WatchLoad",
					Map.of("samples", 3, "intervalMillis", HelperService.MIN_INTERVAL_MILLIS));
			assertThat(samples).extracting(sample -> sample.get("sequence")).containsExactly(1, 2, 3);
		}
	}

	@Test
	void watchLoadRefusesAnIntervalFasterThanTheMinimumWithOutOfRange() {
		assertWatchLoadRefused(Map.of("samples", 3, "intervalMillis", 0), "intervalMillis", 0,
				HelperService.MIN_INTERVAL_MILLIS, HelperService.MAX_INTERVAL_MILLIS);
	}

	@Test
	void watchLoadRefusesAnIntervalSlowerThanTheMaximumWithOutOfRange() {
		assertWatchLoadRefused(Map.of("samples", 3, "intervalMillis", 10_001), "intervalMillis", 10_001,
				HelperService.MIN_INTERVAL_MILLIS, HelperService.MAX_INTERVAL_MILLIS);
	}

	@Test
	void watchLoadRefusesMoreSamplesThanTheMaximumWithOutOfRange() {
		assertWatchLoadRefused(Map.of("samples", 101), "samples", 101, 1, HelperService.MAX_SAMPLES);
	}

	private void assertWatchLoadRefused(Map<String, Object> watch, String parameter, long value, long min, long max) {
		try (InProcessConnection connection = connectAs(OWN_UID)) {
			assertThatExceptionOfType(IpcError.class)
				.isThrownBy(() -> connection.stream("com.example.helper.WatchLoad", watch))
				.satisfies(error -> {
					assertThat(error.name()).isEqualTo("com.example.helper.OutOfRange");
					assertThat(error.parameters()).containsEntry("parameter", parameter)
						.containsEntry("value", value)
						.containsEntry("min", min)
						.containsEntry("max", max);
				});
		}
	}

	@Test
	void refusesAnotherUserWithPermissionDenied() {
		try (InProcessConnection connection = connectAs(OTHER_UID)) {
			assertThat(connection.verdict().accepted()).isFalse();
			assertThat(connection.verdict().explanation()).contains("peer has " + OTHER_UID);
			assertThatExceptionOfType(IpcError.class)
				.isThrownBy(() -> connection.call("com.example.helper.Status", Map.of()))
				.satisfies(error -> assertThat(error.name()).isEqualTo(StandardErrors.PERMISSION_DENIED));
		}
	}

	@Test
	void publishesTheRefusalAsAnEvent() {
		connectAs(OTHER_UID).close();
		assertThat(this.events.stream(PeerRejectedEvent.class)).singleElement()
			.satisfies(event -> assertThat(event.peer().uid()).isEqualTo(OTHER_UID));
	}

}
