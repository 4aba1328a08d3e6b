package dev.peergate.varlink;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.peergate.core.Peer;
import dev.peergate.handler.InterfaceDescriptor;
import dev.peergate.handler.IpcErrorType;
import dev.peergate.handler.IpcInterface;
import dev.peergate.handler.IpcMethod;
import dev.peergate.handler.MethodRegistry;
import dev.peergate.handler.StandardErrors;

/**
 * The {@code org.varlink.service} interface every varlink service provides: {@code GetInfo} and
 * {@code GetInterfaceDescription}, answered from the {@link MethodRegistry} as seen by the caller's listener (an
 * interface not served on that listener does not exist for its peers). Its records match the official
 * {@code org.varlink.service} IDL field for field; besides the four official errors it declares
 * {@code ExpectedMore} and {@code PermissionDenied}, which Peergate sends and systemd's version of the interface
 * declares too.
 * <p>
 * The registry is supplied lazily because this bean is itself part of it.
 *
 * <pre>{@code
 * AtomicReference<MethodRegistry> ref = new AtomicReference<>();
 * VarlinkServiceInterface service = new VarlinkServiceInterface("Example", "helper", "1.0",
 *         "https://example.com", ref::get);
 * ref.set(MethodRegistry.of(handlers).with(List.of(service)));
 * }</pre>
 */
@IpcInterface(value = "org.varlink.service", description = """
		The Varlink Service Interface is provided by every varlink service. It
		describes the service and the interfaces it implements.""")
@IpcErrorType(name = "InterfaceNotFound", parameters = VarlinkServiceInterface.InterfaceNotFound.class)
@IpcErrorType(name = "MethodNotFound", parameters = VarlinkServiceInterface.MethodNotFound.class)
@IpcErrorType(name = "MethodNotImplemented", parameters = VarlinkServiceInterface.MethodNotImplemented.class)
@IpcErrorType(name = "InvalidParameter", parameters = VarlinkServiceInterface.InvalidParameter.class)
@IpcErrorType(name = "ExpectedMore")
@IpcErrorType(name = "PermissionDenied")
public final class VarlinkServiceInterface {

	/** Name of this interface. */
	public static final String NAME = "org.varlink.service";

	private final String vendor;

	private final String product;

	private final String version;

	private final String url;

	private final Supplier<MethodRegistry> registry;

	/** Generated descriptions by interface name; the registry is immutable, so they never go stale. */
	private final Map<String, String> descriptions = new ConcurrentHashMap<>();

	/**
	 * The service interface of one application.
	 * @param vendor vendor of the service
	 * @param product product name
	 * @param version product version
	 * @param url where to learn more
	 * @param registry the registry this bean is part of, read at call time
	 */
	public VarlinkServiceInterface(String vendor, String product, String version, String url,
			Supplier<MethodRegistry> registry) {
		this.vendor = Objects.requireNonNull(vendor, "'vendor' must not be null");
		this.product = Objects.requireNonNull(product, "'product' must not be null");
		this.version = Objects.requireNonNull(version, "'version' must not be null");
		this.url = Objects.requireNonNull(url, "'url' must not be null");
		this.registry = Objects.requireNonNull(registry, "'registry' must not be null");
	}

	/** {@code GetInfo}: the service and the interfaces served on the caller's listener, sorted. */
	@IpcMethod(value = "GetInfo", description = """
			Get a list of all the interfaces a service provides and information
			about the implementation.""")
	public Info getInfo(Peer peer) {
		List<String> interfaces = this.registry.get()
			.interfaces(peer.listener())
			.stream()
			.map(InterfaceDescriptor::name)
			.toList();
		return new Info(this.vendor, this.product, this.version, this.url, interfaces);
	}

	/**
	 * {@code GetInterfaceDescription}: the generated IDL of an interface served on the caller's listener.
	 * @throws dev.peergate.handler.IpcError {@code org.varlink.service.InterfaceNotFound} otherwise
	 */
	@IpcMethod(value = "GetInterfaceDescription",
			description = "Get the description of an interface that is implemented by this service.")
	public Description getInterfaceDescription(DescriptionRequest request, Peer peer) {
		InterfaceDescriptor descriptor = this.registry.get()
			.findInterface(request.interfaceName())
			.filter(candidate -> candidate.servedOn(peer.listener()))
			.orElseThrow(() -> StandardErrors.interfaceNotFound(request.interfaceName()));
		return new Description(this.descriptions.computeIfAbsent(descriptor.name(), name -> VarlinkIdl.describe(descriptor)));
	}

	/**
	 * Reply of {@code GetInfo}.
	 * @param vendor vendor
	 * @param product product
	 * @param version version
	 * @param url url
	 * @param interfaces interface names
	 */
	public record Info(String vendor, String product, String version, String url, List<String> interfaces) {

	}

	/**
	 * Parameters of {@code GetInterfaceDescription}.
	 * @param interfaceName the interface, {@code interface} on the wire
	 */
	public record DescriptionRequest(@JsonProperty("interface") String interfaceName) {

	}

	/**
	 * Reply of {@code GetInterfaceDescription}.
	 * @param description the IDL text
	 */
	public record Description(String description) {

	}

	/**
	 * Parameters of {@code InterfaceNotFound}.
	 * @param interfaceName the interface, {@code interface} on the wire
	 */
	public record InterfaceNotFound(@JsonProperty("interface") String interfaceName) {

	}

	/**
	 * Parameters of {@code MethodNotFound}.
	 * @param method the method
	 */
	public record MethodNotFound(String method) {

	}

	/**
	 * Parameters of {@code MethodNotImplemented}.
	 * @param method the method
	 */
	public record MethodNotImplemented(String method) {

	}

	/**
	 * Parameters of {@code InvalidParameter}.
	 * @param parameter the parameter
	 */
	public record InvalidParameter(String parameter) {

	}

}
