package dev.peergate.xpc.jna;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiPredicate;
import java.util.function.Consumer;

import com.sun.jna.Callback;
import com.sun.jna.CallbackReference;
import com.sun.jna.CallbackThreadInitializer;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import org.jspecify.annotations.Nullable;

/**
 * Builds clang-ABI blocks ({@code xpc_handler_t}, {@code xpc_dictionary_applier_t}, {@code dispatch_block_t})
 * from Java.
 * <p>
 * Every block is a <em>stack-style</em> literal with copy/dispose helpers:
 * {@code isa = &_NSConcreteStackBlock}, {@code flags = BLOCK_HAS_COPY_DISPOSE}, descriptor
 * {@code {0, 40, copy, dispose}} and one captured {@code long} handle after the 32-byte header. libxpc
 * {@code Block_copy}s an escaping handler into its own heap block, which calls the copy helper (Java counts a
 * reference), invokes it with the block as first argument (Java reads the handle at offset 32 and finds the
 * target), and {@code Block_release}s it when it is done, which calls the dispose helper (Java drops the target).
 * So the Java target lives exactly as long as libxpc holds the block, and a leak shows up as a non-empty
 * {@link #live()} count. The four JNA callbacks and the descriptor are shared by all blocks and are strongly
 * reachable for the life of this object (which {@link XpcNative} keeps for the life of the process).
 *
 * <pre>{@code
 * Blocks.Block handler = blocks.handler(event -> onEvent(event));
 * xpc.xpc_connection_set_event_handler(connection, handler.literal());
 * handler.handedOver(); // libxpc copied it; the literal may go
 * }</pre>
 */
public final class Blocks {

	static final int BLOCK_HAS_COPY_DISPOSE = 1 << 25;

	static final int HEADER_SIZE = 32;

	static final long LITERAL_SIZE = HEADER_SIZE + 8;

	private static final System.Logger logger = System.getLogger(Blocks.class.getName());

	private final Pointer stackBlockIsa;

	private final Map<Long, Block> live = new ConcurrentHashMap<>();

	private final AtomicLong handles = new AtomicLong();

	private final HandlerInvoke handlerInvoke = this::invokeHandler;

	private final ApplierInvoke applierInvoke = this::invokeApplier;

	private final BarrierInvoke barrierInvoke = this::invokeBarrier;

	private final CopyHelper copyHelper = this::copied;

	private final DisposeHelper disposeHelper = this::disposed;

	private final Memory descriptor = new Memory(32);

	Blocks(NativeLibrary blocksRuntime) {
		this.stackBlockIsa = blocksRuntime.getGlobalVariableAddress("_NSConcreteStackBlock");
		CallbackThreadInitializer threads = new CallbackThreadInitializer(true, false, "peergate-xpc-callback");
		for (Callback callback : new Callback[] { this.handlerInvoke, this.applierInvoke, this.barrierInvoke,
				this.copyHelper, this.disposeHelper }) {
			Native.setCallbackThreadInitializer(callback, threads);
		}
		this.descriptor.setLong(0, 0);
		this.descriptor.setLong(8, LITERAL_SIZE);
		this.descriptor.setPointer(16, CallbackReference.getFunctionPointer(this.copyHelper));
		this.descriptor.setPointer(24, CallbackReference.getFunctionPointer(this.disposeHelper));
	}

	/** A {@code void (^)(xpc_object_t)} block calling the target with the (borrowed) object. */
	public Block handler(Consumer<Pointer> target) {
		return create(this.handlerInvoke, target);
	}

	/** A {@code bool (^)(const char *, xpc_object_t)} block; return {@code false} to stop. */
	public Block applier(BiPredicate<Pointer, Pointer> target) {
		return create(this.applierInvoke, target);
	}

	/** A {@code void (^)(void)} block ({@code dispatch_block_t}, e.g. a send barrier) running the target. */
	public Block barrier(Runnable target) {
		return create(this.barrierInvoke, target);
	}

	/** Blocks whose target is still reachable from native code (or not yet handed over). */
	public int live() {
		return this.live.size();
	}

	private Block create(Callback invoke, Object target) {
		long handle = this.handles.incrementAndGet();
		Memory literal = new Memory(LITERAL_SIZE);
		literal.setPointer(0, this.stackBlockIsa);
		literal.setInt(8, BLOCK_HAS_COPY_DISPOSE);
		literal.setInt(12, 0);
		literal.setPointer(16, CallbackReference.getFunctionPointer(invoke));
		literal.setPointer(24, this.descriptor);
		literal.setLong(HEADER_SIZE, handle);
		Block block = new Block(handle, literal, target);
		this.live.put(handle, block);
		return block;
	}

	private @Nullable Block lookup(Pointer block) {
		long handle = block.getLong(HEADER_SIZE);
		Block found = this.live.get(handle);
		if (found == null) {
			logger.log(System.Logger.Level.ERROR, "Native code used an unknown or disposed block (handle " + handle + ")");
		}
		return found;
	}

	@SuppressWarnings("unchecked")
	private void invokeHandler(Pointer block, Pointer object) {
		Block found = lookup(block);
		if (found == null) {
			return;
		}
		try {
			((Consumer<Pointer>) found.target).accept(object);
		}
		catch (Throwable ex) {
			// Never unwind into libxpc.
			logger.log(System.Logger.Level.ERROR, "XPC handler failed", ex);
		}
	}

	@SuppressWarnings("unchecked")
	private byte invokeApplier(Pointer block, Pointer key, Pointer value) {
		Block found = lookup(block);
		if (found == null) {
			return 0;
		}
		try {
			return (byte) (((BiPredicate<Pointer, Pointer>) found.target).test(key, value) ? 1 : 0);
		}
		catch (Throwable ex) {
			logger.log(System.Logger.Level.ERROR, "XPC applier failed", ex);
			return 0;
		}
	}

	private void invokeBarrier(Pointer block) {
		Block found = lookup(block);
		if (found == null) {
			return;
		}
		try {
			((Runnable) found.target).run();
		}
		catch (Throwable ex) {
			logger.log(System.Logger.Level.ERROR, "XPC barrier failed", ex);
		}
	}

	private void copied(Pointer destination, Pointer source) {
		Block found = lookup(source);
		if (found != null) {
			found.copies(1);
		}
	}

	private void disposed(Pointer block) {
		Block found = lookup(block);
		if (found != null && found.copies(-1) == 0) {
			this.live.remove(found.handle);
		}
	}

	/** {@code void invoke(block, xpc_object_t)}. */
	public interface HandlerInvoke extends Callback {

		void invoke(Pointer block, Pointer object);

	}

	/** {@code bool invoke(block, const char *key, xpc_object_t value)}. */
	public interface ApplierInvoke extends Callback {

		byte invoke(Pointer block, Pointer key, Pointer value);

	}

	/** {@code void invoke(block)} of a {@code dispatch_block_t}. */
	public interface BarrierInvoke extends Callback {

		void invoke(Pointer block);

	}

	/** {@code void copy(void *dst, const void *src)} of {@code Block_descriptor_2}. */
	public interface CopyHelper extends Callback {

		void invoke(Pointer destination, Pointer source);

	}

	/** {@code void dispose(const void *)} of {@code Block_descriptor_2}. */
	public interface DisposeHelper extends Callback {

		void invoke(Pointer block);

	}

	/**
	 * One block. Its literal must stay reachable while a native call that may copy it runs; afterwards the heap
	 * copies made by {@code Block_copy} carry the handle and the literal can be dropped.
	 */
	public final class Block {

		private final long handle;

		private @Nullable Memory literal;

		private final Object target;

		private int copies;

		private boolean everCopied;

		Block(long handle, Memory literal, Object target) {
			this.handle = handle;
			this.literal = literal;
			this.target = target;
		}

		/** The block literal to pass to native code. */
		public Pointer literal() {
			Memory memory = this.literal;
			if (memory == null) {
				throw new IllegalStateException("Block " + this.handle + " was already handed over");
			}
			return memory;
		}

		private synchronized int copies(int delta) {
			this.copies += delta;
			if (delta > 0) {
				this.everCopied = true;
			}
			return this.copies;
		}

		/**
		 * Called after the native call that took the block returned. If native code copied it, the copies keep
		 * the target alive until their dispose; if it did not (a synchronous, non-escaping use such as
		 * {@code xpc_dictionary_apply}, or a call that failed), the target is dropped now.
		 */
		public void handedOver() {
			synchronized (this) {
				this.literal = null;
				if (this.everCopied) {
					return;
				}
			}
			Blocks.this.live.remove(this.handle);
		}

	}

}
