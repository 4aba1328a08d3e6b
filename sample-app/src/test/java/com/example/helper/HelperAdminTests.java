package com.example.helper;

import dev.peergate.handler.IpcError;
import dev.peergate.handler.IpcInterface;
import dev.peergate.handler.IpcMethod;
import dev.peergate.handler.StandardErrors;
import dev.peergate.test.PeergateTest;
import dev.peergate.test.PeergateTester;
import dev.peergate.test.WithPeer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

@PeergateTest
@WithPeer
@Timeout(60)
class HelperAdminTests {

	@IpcInterface("com.example.helper")
	interface Helper {

		@IpcMethod
		HelperService.Cleared clearCache();

	}

	@Autowired
	PeergateTester peergate;

	@Test
	@WithPeer(executable = "/usr/local/bin/helper-admin")
	void theAdminToolMayClearTheCache() {
		assertThat(this.peergate.client(Helper.class).clearCache().entries()).isZero();
	}

	@Test
	@WithPeer(executable = "/usr/bin/python3")
	void anyOtherExecutableIsRefused() {
		assertThatExceptionOfType(IpcError.class).isThrownBy(() -> this.peergate.client(Helper.class).clearCache())
			.satisfies(error -> assertThat(error.name()).isEqualTo(StandardErrors.PERMISSION_DENIED));
	}

}
