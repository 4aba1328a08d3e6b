package dev.peergate.benchmarks;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.peergate.handler.IpcReply;
import dev.peergate.handler.IpcRequest;
import dev.peergate.handler.Values;
import dev.peergate.varlink.VarlinkCodec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * CPU cost of the per-call message work the Unix transport and dispatcher do for a typical small call: decoding the
 * NUL-stripped frame, binding the parameters to the handler's record, turning the result back into a map and
 * encoding the reply.
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar VarlinkCodecBenchmark
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(1)
public class VarlinkCodecBenchmark {

	private final VarlinkCodec codec = new VarlinkCodec(64);

	private final byte[] call = "{\"method\":\"org.example.bench.Ping\",\"parameters\":{\"text\":\"hello, peergate\"}}"
		.getBytes(StandardCharsets.UTF_8);

	private final IpcReply reply = IpcReply.of(Map.of("text", "hello, peergate"));

	/** The frame to a request. */
	@Benchmark
	public IpcRequest decodeRequest() {
		return this.codec.decodeRequest(this.call);
	}

	/** A reply to its frame. */
	@Benchmark
	public byte[] encodeReply() {
		return this.codec.encodeReply(this.reply);
	}

	/** Decode a call and encode its reply: the codec work of one call. */
	@Benchmark
	public byte[] decodeAndEncode() {
		IpcRequest request = this.codec.decodeRequest(this.call);
		return this.codec.encodeReply(IpcReply.of(request.parameters()));
	}

	/** Everything a Ping call costs in JSON: decode, bind to the record, result to map, encode. */
	@Benchmark
	public byte[] decodeBindEncode() {
		IpcRequest request = this.codec.decodeRequest(this.call);
		Object text = Values.bind(request.parameters(), PingService.Text.class);
		return this.codec.encodeReply(IpcReply.of(Values.toMap(text)));
	}

}
