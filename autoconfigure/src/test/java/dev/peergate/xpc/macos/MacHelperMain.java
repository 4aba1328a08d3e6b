package dev.peergate.xpc.macos;

import java.time.Duration;
import java.util.List;

import dev.peergate.core.TransportEvents;
import dev.peergate.core.VerdictSink;
import dev.peergate.handler.CallObserver;
import dev.peergate.handler.Dispatcher;
import dev.peergate.handler.HandlerExecutor;
import dev.peergate.handler.MethodRegistry;
import dev.peergate.xpc.Enforcement;
import dev.peergate.xpc.HelperService;
import dev.peergate.xpc.XpcListener;
import dev.peergate.xpc.XpcListenerOptions;
import dev.peergate.xpc.XpcRequirement;

/**
 * The helper process a real launchd agent runs in {@link RealLaunchdTests}: an XPC listener on the Mach service given
 * as the first argument, requiring the code-signing requirement given as the second, enforcement the third.
 */
public final class MacHelperMain {

	private MacHelperMain() {
	}

	public static void main(String[] args) throws Exception {
		Dispatcher dispatcher = new Dispatcher(MethodRegistry.of(List.of(new HelperService())),
				HandlerExecutor.create(8, 64), Duration.ofSeconds(30), CallObserver.none());
		XpcListener listener = new XpcListener(
				XpcListenerOptions.of("helper", args[0], XpcRequirement.codeSigning(args[1]))
					.withEnforcement(Enforcement.valueOf(args[2])),
				dispatcher, VerdictSink.none(), TransportEvents.none());
		listener.start();
		System.out.println("listening: " + listener.mechanism().tag() + " on macOS " + listener.macOsVersion());
		Thread.sleep(Duration.ofMinutes(5).toMillis());
		listener.stop(Duration.ofSeconds(5));
	}

}
