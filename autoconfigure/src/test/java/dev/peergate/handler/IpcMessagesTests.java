package dev.peergate.handler;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The values a call and its answer are made of: request names, replies, errors and handler limits. */
class IpcMessagesTests {

	@Test
	void splitsAQualifiedMethodIntoInterfaceAndMember() {
		IpcRequest request = IpcRequest.call("com.example.helper.DiskUsage", Map.of());
		assertThat(request.interfaceName()).isEqualTo("com.example.helper");
		assertThat(request.memberName()).isEqualTo("DiskUsage");
	}

	@Test
	void hasNoInterfaceForAnUnqualifiedMethod() {
		IpcRequest request = IpcRequest.call("DiskUsage", Map.of());
		assertThat(request.interfaceName()).isEmpty();
		assertThat(request.memberName()).isEqualTo("DiskUsage");
	}

	@Test
	void tellsAnErrorReplyFromASuccessfulOne() {
		assertThat(IpcReply.error(StandardErrors.permissionDenied()).isError()).isTrue();
		assertThat(IpcReply.of(Map.of("ok", true)).isError()).isFalse();
		assertThat(new IpcReply(null, Map.of(), true).isError()).isFalse();
	}

	@Test
	void describesAnErrorByItsNameAndParameters() {
		assertThat(new IpcError("com.example.helper.Busy")).hasMessage("com.example.helper.Busy");
		assertThat(StandardErrors.methodNotFound("com.example.helper.Nope"))
			.hasMessage("org.varlink.service.MethodNotFound {method=com.example.helper.Nope}");
	}

	@Test
	void acceptsLimitsThatTurnTimeoutsOffAndAShareOfOne() {
		HandlerLimits limits = new HandlerLimits(Duration.ZERO, Duration.ZERO, 1);
		assertThat(limits.maxConcurrentPerUid()).isEqualTo(1);
		assertThat(HandlerLimits.timeoutOnly(Duration.ofSeconds(3)))
			.isEqualTo(new HandlerLimits(Duration.ofSeconds(3), Duration.ZERO, Integer.MAX_VALUE));
	}

}
