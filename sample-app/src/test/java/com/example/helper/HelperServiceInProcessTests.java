package com.example.helper;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.sun.security.auth.module.UnixSystem;
import dev.peergate.event.PeerRejectedEvent;
import dev.peergate.handler.IpcError;
import dev.peergate.handler.StandardErrors;
import dev.peergate.test.PeergateTest;
import dev.peergate.test.PeergateTester;
import dev.peergate.test.TestPeer;
import dev.peergate.test.WithPeer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.event.ApplicationEvents;
import org.springframework.test.context.event.RecordApplicationEvents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The helper's handlers and its requirements (application.yml), tested without a socket: {@code @PeergateTest}
 * puts the listener on the in-process transport and {@code @WithPeer} states who calls; by default here the user
 * running the tests, whom the {@code same-user} requirement accepts.
 */
@PeergateTest
@WithPeer
@RecordApplicationEvents
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HelperServiceInProcessTests {

	private static final long OWN_UID = new UnixSystem().getUid();

	/** A uid that is not this process's, so the {@code same-user} requirement refuses it. */
	private static final long OTHER_UID = (OWN_UID != 65534) ? 65534 : 65533;

	@Autowired
	private PeergateTester peergate;

	@Autowired
	private ApplicationEvents events;

	@Test
	void statusNamesTheStatedCaller() {
		HelperService.Status status = this.peergate.client(Helper.class).status();
		assertThat(status.callerUid()).isEqualTo(OWN_UID);
		assertThat(status.listener()).isEqualTo("helper");
	}

	@Test
	void diskUsageOfAMissingPathIsTheTypedError() {
		assertThatExceptionOfType(IpcError.class)
			.isThrownBy(() -> this.peergate.client(Helper.class)
				.diskUsage(new HelperService.DiskQuery("/no/such/path")))
			.satisfies(error -> {
				assertThat(error.name()).isEqualTo("com.example.helper.NoSuchPath");
				assertThat(error.parameters()).containsEntry("path", "/no/such/path");
			});
	}

	@Test
	void watchLoadStreamsEverySampleInOrder() {
		List<HelperService.LoadSample> samples = new ArrayList<>();
		HelperService.LoadSample last = this.peergate.client(Helper.class)
			.watchLoad(new HelperService.LoadWatch(3, HelperService.MIN_INTERVAL_MILLIS), samples::add);
		samples.add(last);
		assertThat(samples).extracting(HelperService.LoadSample::sequence).containsExactly(1, 2, 3);
	}

	@Test
	void watchLoadRefusesAnIntervalFasterThanTheMinimumWithOutOfRange() {
		assertWatchLoadRefused(new HelperService.LoadWatch(3, 0), "intervalMillis", 0,
				HelperService.MIN_INTERVAL_MILLIS, HelperService.MAX_INTERVAL_MILLIS);
	}

	@Test
	void watchLoadRefusesAnIntervalSlowerThanTheMaximumWithOutOfRange() {
		assertWatchLoadRefused(new HelperService.LoadWatch(3, 10_001), "intervalMillis", 10_001,
				HelperService.MIN_INTERVAL_MILLIS, HelperService.MAX_INTERVAL_MILLIS);
	}

	@Test
	void watchLoadRefusesMoreSamplesThanTheMaximumWithOutOfRange() {
		assertWatchLoadRefused(new HelperService.LoadWatch(101, null), "samples", 101, 1, HelperService.MAX_SAMPLES);
	}

	private void assertWatchLoadRefused(HelperService.LoadWatch watch, String parameter, long value, long min,
			long max) {
		assertThatExceptionOfType(IpcError.class)
			.isThrownBy(() -> this.peergate.client(Helper.class).watchLoad(watch, (sample) -> {
			}))
			.satisfies(error -> {
				assertThat(error.name()).isEqualTo("com.example.helper.OutOfRange");
				assertThat(error.parameters()).containsEntry("parameter", parameter)
					.containsEntry("value", value)
					.containsEntry("min", min)
					.containsEntry("max", max);
			});
	}

	@Test
	void refusesAnotherUserWithPermissionDeniedAndPublishesTheRefusal() {
		assertThatExceptionOfType(IpcError.class)
			.isThrownBy(() -> this.peergate.as(TestPeer.uid(OTHER_UID)).client(Helper.class).status())
			.satisfies(error -> assertThat(error.name()).isEqualTo(StandardErrors.PERMISSION_DENIED));
		assertThat(this.events.stream(PeerRejectedEvent.class)).singleElement().satisfies(event -> {
			assertThat(event.peer().uid()).isEqualTo(OTHER_UID);
			assertThat(event.explanation()).contains("peer has " + OTHER_UID);
		});
	}

}
