package dev.peergate.actuate;

import java.util.function.Supplier;

import dev.peergate.xpc.LaunchdPlist;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.WebEndpoint;
import org.springframework.util.MimeType;
import org.springframework.util.MimeTypeUtils;

/**
 * The {@code launchd} web endpoint: {@code GET /actuator/launchd} returns the launchd property list (XML) that
 * declares this application's XPC Mach services, generated from its configuration and its running command; save
 * it as {@code ~/Library/LaunchAgents/<label>.plist} (or {@code /Library/LaunchDaemons}) and bootstrap it. When no
 * job can be generated the response is 404 with the reason as plain text.
 *
 * <pre>{@code
 * curl -s localhost:8080/actuator/launchd > ~/Library/LaunchAgents/com.example.helper.plist
 * }</pre>
 */
@WebEndpoint(id = "launchd")
public class LaunchdEndpoint {

	private static final MimeType XML = MimeTypeUtils.APPLICATION_XML;

	private final Supplier<LaunchdPlist> plist;

	/** An endpoint serving the job the supplier generates, generated anew on every request. */
	public LaunchdEndpoint(Supplier<LaunchdPlist> plist) {
		this.plist = plist;
	}

	/** The plist, or 404 with the reason why none can be generated. */
	@ReadOperation(produces = { "application/xml", "text/plain" })
	public WebEndpointResponse<String> plist() {
		try {
			return new WebEndpointResponse<>(this.plist.get().toXml(), WebEndpointResponse.STATUS_OK, XML);
		}
		catch (IllegalStateException | IllegalArgumentException ex) {
			// The configuration declares nothing launchd could run (or is inconsistent): say why, not just 404.
			return new WebEndpointResponse<>("No launchd job: " + ex.getMessage() + "\n",
					WebEndpointResponse.STATUS_NOT_FOUND, MimeTypeUtils.TEXT_PLAIN);
		}
	}

}
