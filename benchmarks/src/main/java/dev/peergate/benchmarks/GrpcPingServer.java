package dev.peergate.benchmarks;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.grpc.stub.ServerCalls;

/**
 * gRPC-java serving {@link GrpcPing} on a Unix socket (Netty epoll), with gRPC's defaults: the handler runs on gRPC's
 * default executor, off the event loop, as a blocking Peergate handler does. No peer verification. Runs until stdin
 * closes.
 *
 * <pre>{@code
 * java -cp benchmarks.jar dev.peergate.benchmarks.GrpcPingServer /tmp/grpc.sock
 * }</pre>
 */
public final class GrpcPingServer {

	private GrpcPingServer() {
	}

	/**
	 * Starts the server; prints {@code READY} once it accepts connections.
	 * @param args the socket path
	 * @throws Exception if the server cannot start
	 */
	public static void main(String[] args) throws Exception {
		if (args.length != 1) {
			System.err.println("usage: GrpcPingServer <socket>");
			System.exit(2);
		}
		Path socket = Path.of(args[0]);
		GrpcPing.quietBootstrap();
		Files.deleteIfExists(socket);
		ServerServiceDefinition service = ServerServiceDefinition.builder("bench.Bench")
			.addMethod(GrpcPing.METHOD, ServerCalls.asyncUnaryCall((request, response) -> {
				response.onNext(request);
				response.onCompleted();
			}))
			.build();
		EpollEventLoopGroup boss = new EpollEventLoopGroup(1);
		EpollEventLoopGroup workers = new EpollEventLoopGroup(1); // one I/O thread, as the Peergate servers
		Server server = NettyServerBuilder.forAddress(new DomainSocketAddress(socket.toString()))
			.channelType(EpollServerDomainSocketChannel.class)
			.bossEventLoopGroup(boss)
			.workerEventLoopGroup(workers)
			.addService(service)
			.build()
			.start();
		System.out.println("READY grpc-java " + socket);
		System.out.flush();
		InputStream stdin = System.in;
		while (stdin.read() != -1) {
			// the driver closes stdin to stop the server
		}
		server.shutdownNow().awaitTermination(2, TimeUnit.SECONDS);
		boss.shutdownGracefully();
		workers.shutdownGracefully();
		System.out.println("STATS grpc-java");
	}

}
