package dev.peergate.benchmarks;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import io.grpc.MethodDescriptor;

/**
 * The benchmark's {@code Ping} as a gRPC unary method, {@code bench.Bench/Ping}, whose messages are the bytes of
 * the same JSON the varlink servers exchange ({@code {"text":"..."}}): no protoc, no generated code.
 */
final class GrpcPing {

	static final MethodDescriptor<byte[], byte[]> METHOD = MethodDescriptor.<byte[], byte[]>newBuilder()
		.setType(MethodDescriptor.MethodType.UNARY)
		.setFullMethodName(MethodDescriptor.generateFullMethodName("bench.Bench", "Ping"))
		.setRequestMarshaller(new Bytes())
		.setResponseMarshaller(new Bytes())
		.build();

	/**
	 * Netty's bootstrap warns on every Unix-socket channel that gRPC's default {@code SO_KEEPALIVE} does not apply
	 * to it; kept here so the logger (and its level) is not collected.
	 */
	private static final java.util.logging.Logger BOOTSTRAP_LOG = java.util.logging.Logger
		.getLogger("io.grpc.netty.shaded.io.netty.bootstrap.AbstractBootstrap");

	private GrpcPing() {
	}

	/** Silences the per-channel keep-alive warning. */
	static void quietBootstrap() {
		BOOTSTRAP_LOG.setLevel(java.util.logging.Level.SEVERE);
	}

	/** Messages as they are. */
	private static final class Bytes implements MethodDescriptor.Marshaller<byte[]> {

		@Override
		public InputStream stream(byte[] value) {
			return new ByteArrayInputStream(value);
		}

		@Override
		public byte[] parse(InputStream stream) {
			try {
				return stream.readAllBytes();
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

	}

}
