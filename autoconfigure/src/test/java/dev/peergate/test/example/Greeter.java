package dev.peergate.test.example;

import dev.peergate.handler.IpcInterface;
import dev.peergate.handler.IpcMethod;
import dev.peergate.handler.IpcStream;

/** The client's view of {@link GreeterService}. */
@IpcInterface("com.example.greeter")
public interface Greeter {

	@IpcMethod
	GreeterService.Caller whoAmI();

	@IpcMethod
	GreeterService.Greeting greet(GreeterService.Name name);

	@IpcMethod
	GreeterService.Number count(GreeterService.Count count, IpcStream<GreeterService.Number> numbers);

}
