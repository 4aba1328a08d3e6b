package com.example.helper;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import dev.peergate.client.IpcCallers;
import dev.peergate.client.VarlinkClient;
import dev.peergate.client.VarlinkReplies;
import dev.peergate.handler.IpcClients;
import dev.peergate.handler.IpcError;
import dev.peergate.handler.Values;
import org.jspecify.annotations.Nullable;

/**
 * Command-line client of the sample helper. Typed, through the {@link Helper} interface:
 * {@code call [--socket PATH] status | clear-cache | reload | disk-usage PATH | watch-load SAMPLES}; or any method
 * with JSON parameters: {@code call [--socket PATH] [--more] Method [json-parameters]}, where the method may be short
 * ({@code Status}) or qualified ({@code org.varlink.service.GetInfo}). Exit status 0 on success, 1 on an error
 * reply, 2 on misuse.
 */
final class HelperCli {

	static final String DEFAULT_SOCKET = defaultSocket();

	private HelperCli() {
	}

	/** The commands that call through the typed {@link Helper} client. */
	private static final java.util.Set<String> TYPED = java.util.Set.of("status", "clear-cache", "reload",
			"disk-usage", "watch-load");

	static String defaultSocket() {
		String configured = System.getenv("PEERGATE_SAMPLE_SOCKET");
		return (configured != null) ? configured
				: Path.of(System.getProperty("java.io.tmpdir"), "peergate-sample-helper.sock").toString();
	}

	static int run(String[] args, PrintStream out, PrintStream err) {
		String socket = DEFAULT_SOCKET;
		boolean more = false;
		String method = null;
		String json = "{}";
		for (int i = 0; i < args.length; i++) {
			switch (args[i]) {
				case "--socket" -> socket = args[++i];
				case "--more" -> more = true;
				default -> {
					if (method == null) {
						method = args[i];
					}
					else {
						json = args[i];
					}
				}
			}
		}
		if (method == null) {
			err.println("usage: call [--socket PATH] [--more] Method [json-parameters]");
			err.println("   or:  call status | clear-cache | reload | disk-usage PATH | watch-load SAMPLES");
			err.println("   e.g. call Status | call DiskUsage '{\"path\":\"/\"}' | call --more WatchLoad '{\"samples\":3}'");
			return 2;
		}
		String qualified = method.contains(".") ? method : "com.example.helper." + method;
		try (VarlinkClient client = VarlinkClient.builder(Path.of(socket)).callTimeout(Duration.ofSeconds(30)).connect()) {
			if (TYPED.contains(method)) {
				typed(IpcClients.create(Helper.class, IpcCallers.of(client)), method, json, out);
				return 0;
			}
			Map<String, @Nullable Object> parameters = Values.mapper().readValue(json, Map.class);
			if (more) {
				try (VarlinkReplies<Map> replies = client.more(qualified, parameters, Map.class)) {
					replies.forEachRemaining(reply -> out.println(Values.mapper().writeValueAsString(reply)));
				}
			}
			else {
				out.println(Values.mapper().writeValueAsString(client.call(qualified, parameters)));
			}
			return 0;
		}
		catch (NumberFormatException ex) {
			err.println("usage: call watch-load SAMPLES (a number)");
			return 2;
		}
		catch (IpcError ex) {
			err.println("error " + ex.name() + " " + Values.mapper().writeValueAsString(ex.parameters()));
			return 1;
		}
		catch (RuntimeException ex) {
			err.println("failed: " + ex.getMessage());
			return 1;
		}
	}

	/** One typed call; {@code argument} is the command's argument (or "{}" when none was given). */
	private static void typed(Helper helper, String command, String argument, PrintStream out) {
		Object result = switch (command) {
			case "status" -> helper.status();
			case "clear-cache" -> helper.clearCache();
			case "reload" -> helper.reload();
			case "disk-usage" -> helper.diskUsage(new HelperService.DiskQuery(argument.equals("{}") ? "/" : argument));
			case "watch-load" -> helper.watchLoad(
					new HelperService.LoadWatch(argument.equals("{}") ? 3 : Integer.parseInt(argument), null),
					(sample) -> out.println(Values.mapper().writeValueAsString(sample)));
			default -> throw new IllegalArgumentException(command);
		};
		out.println(Values.mapper().writeValueAsString(result));
	}

}
