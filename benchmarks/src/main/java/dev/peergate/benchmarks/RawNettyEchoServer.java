package dev.peergate.benchmarks;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.handler.codec.DelimiterBasedFrameDecoder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The baseline for the transport's own cost: Netty epoll on a Unix socket with the same NUL framing and frame limit
 * as {@code UnixListener}, one event-loop thread, parsing each call with Jackson and answering
 * {@code {"parameters":<the call's parameters>}} on the event loop. No peer verification, no method lookup or
 * binding, no handler thread, no observation, no call ordering: what remains when Peergate is compared to it is
 * exactly that.
 *
 * <pre>{@code
 * java -cp benchmarks.jar dev.peergate.benchmarks.RawNettyEchoServer /tmp/raw.sock
 * }</pre>
 */
public final class RawNettyEchoServer {

	private static final ByteBuf NUL = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(new byte[] { 0 }));

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	private RawNettyEchoServer() {
	}

	/**
	 * Starts the echo server; prints {@code READY} once it accepts connections.
	 * @param args the socket path
	 * @throws Exception if the socket cannot be bound
	 */
	public static void main(String[] args) throws Exception {
		if (args.length != 1) {
			System.err.println("usage: RawNettyEchoServer <socket>");
			System.exit(2);
		}
		Path socket = Path.of(args[0]);
		Files.deleteIfExists(socket);
		EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
		Channel server = new ServerBootstrap().group(group)
			.channel(EpollServerDomainSocketChannel.class)
			.childHandler(new ChannelInitializer<Channel>() {

				@Override
				protected void initChannel(Channel channel) {
					channel.pipeline()
						.addLast(new DelimiterBasedFrameDecoder(1024 * 1024, true, true, NUL))
						.addLast(new Echo());
				}

			})
			.bind(new DomainSocketAddress(socket.toString()))
			.sync()
			.channel();
		System.out.println("READY");
		System.out.flush();
		InputStream stdin = System.in;
		while (stdin.read() != -1) {
			// the driver closes stdin to stop the server
		}
		server.close().sync();
		group.shutdownGracefully().sync();
		Files.deleteIfExists(socket);
	}

	private static final class Echo extends ChannelInboundHandlerAdapter {

		@Override
		public void channelRead(ChannelHandlerContext ctx, Object message) {
			ByteBuf frame = (ByteBuf) message;
			byte[] json;
			try {
				JsonNode call = MAPPER.readTree(ByteBufUtil.getBytes(frame));
				ObjectNode reply = MAPPER.createObjectNode();
				reply.set("parameters", call.get("parameters"));
				json = MAPPER.writeValueAsBytes(reply);
			}
			finally {
				frame.release();
			}
			ByteBuf out = ctx.alloc().buffer(json.length + 1);
			out.writeBytes(json).writeByte(0);
			ctx.writeAndFlush(out);
		}

		@Override
		public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
			ctx.close();
		}

	}

}
