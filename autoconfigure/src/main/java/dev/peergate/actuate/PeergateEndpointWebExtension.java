package dev.peergate.actuate;

import dev.peergate.actuate.PeergateEndpoint.ConnectionDescriptor;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;

/**
 * The {@code peergate} endpoint over HTTP: {@code DELETE /actuator/peergate/{name}/connections/{id}} answers 200
 * with the connection as it was just before it was disconnected, or 404 when the listener has no such connection
 * open (a delete operation answering nothing would otherwise be 204).
 *
 * <pre>{@code
 * $ curl -s -o /dev/null -w '%{http_code}' -X DELETE localhost:8080/actuator/peergate/helper/connections/999
 * 404
 * }</pre>
 */
@EndpointWebExtension(endpoint = PeergateEndpoint.class)
public class PeergateEndpointWebExtension {

	private final PeergateEndpoint endpoint;

	/** The web extension of the given endpoint. */
	public PeergateEndpointWebExtension(PeergateEndpoint endpoint) {
		this.endpoint = endpoint;
	}

	/** Disconnects one live connection; 404 when there is no such connection. */
	@DeleteOperation
	public WebEndpointResponse<ConnectionDescriptor> disconnect(@Selector String name, @Selector String connections,
			@Selector String id, SecurityContext securityContext) {
		ConnectionDescriptor disconnected = this.endpoint.disconnect(name, connections, id, securityContext);
		return (disconnected != null) ? new WebEndpointResponse<>(disconnected)
				: new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND);
	}

}
