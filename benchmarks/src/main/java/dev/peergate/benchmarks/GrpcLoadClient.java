package dev.peergate.benchmarks;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.grpc.stub.ClientCalls;

/**
 * The load client of the gRPC row: what the Go load client does for the varlink servers (modes {@code calls} and
 * {@code connects}, warm-up, measured duration), with gRPC-java's blocking stub calls, printing the same
 * tab-separated line: rate, p50 µs, p99 µs, errors, calls. A different client than the other rows', in another
 * runtime: compare its rates with that in mind.
 *
 * <pre>{@code
 * java -cp benchmarks.jar dev.peergate.benchmarks.GrpcLoadClient /tmp/grpc.sock calls 4 5 10
 * }</pre>
 * Arguments: socket, mode, connections (or connecting threads), warm-up and measured seconds.
 */
public final class GrpcLoadClient {

	private static final byte[] PING = "{\"text\":\"hello, peergate\"}".getBytes(StandardCharsets.UTF_8);

	private static volatile int phase; // 0 warm-up, 1 measuring, 2 done

	private GrpcLoadClient() {
	}

	/**
	 * Runs the load and prints the result line.
	 * @param args socket, mode, connections, warm-up seconds, measured seconds
	 * @throws Exception if the client cannot run
	 */
	public static void main(String[] args) throws Exception {
		String socket = args[0];
		GrpcPing.quietBootstrap();
		boolean connects = args[1].equals("connects");
		int conns = Integer.parseInt(args[2]);
		EventLoopGroup loop = new EpollEventLoopGroup(1);
		List<Worker> workers = new ArrayList<>();
		CountDownLatch finished = new CountDownLatch(conns);
		for (int i = 0; i < conns; i++) {
			Worker worker = new Worker(socket, loop, connects, finished);
			workers.add(worker);
			new Thread(worker, "grpc-load-" + i).start();
		}
		Thread.sleep(TimeUnit.SECONDS.toMillis(Long.parseLong(args[3])));
		phase = 1;
		long start = System.nanoTime();
		Thread.sleep(TimeUnit.SECONDS.toMillis(Long.parseLong(args[4])));
		phase = 2;
		double seconds = (System.nanoTime() - start) / 1e9;
		finished.await(30, TimeUnit.SECONDS);
		int count = 0;
		long errors = 0;
		for (Worker worker : workers) {
			count += worker.count;
			errors += worker.errors;
		}
		long[] all = new long[count];
		int at = 0;
		for (Worker worker : workers) {
			System.arraycopy(worker.latencies, 0, all, at, worker.count);
			at += worker.count;
		}
		Arrays.sort(all);
		System.out.printf(Locale.ROOT, "%.1f\t%.1f\t%.1f\t%d\t%d%n", count / seconds, percentile(all, 0.50),
				percentile(all, 0.99), errors, count);
		loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
		System.exit(0);
	}

	/** As the Go client computes it. */
	private static double percentile(long[] sorted, double q) {
		if (sorted.length == 0) {
			return 0;
		}
		int index = Math.min(sorted.length - 1, Math.max(0, (int) (q * sorted.length + 0.5) - 1));
		return sorted[index] / 1000.0;
	}

	private static ManagedChannel channel(String socket, EventLoopGroup loop) {
		return NettyChannelBuilder.forAddress(new DomainSocketAddress(socket))
			.channelType(EpollDomainSocketChannel.class)
			.eventLoopGroup(loop)
			.usePlaintext()
			.build();
	}

	private static final class Worker implements Runnable {

		private final String socket;

		private final EventLoopGroup loop;

		private final boolean connects;

		private final CountDownLatch finished;

		long[] latencies = new long[1 << 16];

		int count;

		long errors;

		Worker(String socket, EventLoopGroup loop, boolean connects, CountDownLatch finished) {
			this.socket = socket;
			this.loop = loop;
			this.connects = connects;
			this.finished = finished;
		}

		@Override
		public void run() {
			try {
				ManagedChannel shared = this.connects ? null : channel(this.socket, this.loop);
				while (phase != 2) {
					int current = phase;
					long begin = System.nanoTime();
					boolean ok = true;
					ManagedChannel channel = (shared != null) ? shared : channel(this.socket, this.loop);
					try {
						byte[] reply = ClientCalls.blockingUnaryCall(channel, GrpcPing.METHOD, CallOptions.DEFAULT, PING);
						ok = Arrays.equals(reply, PING);
					}
					catch (RuntimeException ex) {
						ok = false;
					}
					if (shared == null) {
						channel.shutdownNow();
					}
					long took = System.nanoTime() - begin;
					if (current == 1) {
						if (!ok) {
							this.errors++;
						}
						else {
							if (this.count == this.latencies.length) {
								this.latencies = Arrays.copyOf(this.latencies, this.count * 2);
							}
							this.latencies[this.count++] = took;
						}
					}
				}
				if (shared != null) {
					shared.shutdownNow();
				}
			}
			finally {
				this.finished.countDown();
			}
		}

	}

}
