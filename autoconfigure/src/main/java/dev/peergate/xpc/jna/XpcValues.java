package dev.peergate.xpc.jna;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.sun.jna.Pointer;
import dev.peergate.handler.IpcFileDescriptor;
import org.jspecify.annotations.Nullable;

/**
 * Converts between XPC objects and Java values.
 * <table>
 * <caption>Mapping</caption>
 * <tr><th>XPC</th><th>Java</th></tr>
 * <tr><td>dictionary</td><td>{@code Map<String, Object>} (insertion order)</td></tr>
 * <tr><td>array</td><td>{@code List<Object>}</td></tr>
 * <tr><td>string</td><td>{@code String}</td></tr>
 * <tr><td>int64</td><td>{@code Long} (from any {@code Long}, {@code Integer}, {@code Short}, {@code Byte},
 * {@code BigInteger} in range)</td></tr>
 * <tr><td>uint64</td><td>{@code Long} when it fits, else {@code BigInteger} (from a {@code BigInteger} above
 * {@code Long.MAX_VALUE})</td></tr>
 * <tr><td>double</td><td>{@code Double} (from {@code Float}, {@code Double}, {@code BigDecimal})</td></tr>
 * <tr><td>bool</td><td>{@code Boolean}</td></tr>
 * <tr><td>data</td><td>{@code byte[]}</td></tr>
 * <tr><td>uuid</td><td>{@code UUID}</td></tr>
 * <tr><td>date</td><td>{@code Instant} (nanoseconds since the epoch)</td></tr>
 * <tr><td>null</td><td>{@code null}</td></tr>
 * <tr><td>fd</td><td>{@link IpcFileDescriptor}: sent with {@code xpc_fd_create}, received with {@code xpc_fd_dup}
 * </td></tr>
 * </table>
 * {@link #toXpc} returns a +1 reference and releases every intermediate object on every path, including a failure
 * halfway through a nested map. Strings and keys containing NUL or an unpaired surrogate are refused (they
 * cannot round-trip through a C string). {@link #toXpc} takes over every {@link IpcFileDescriptor} it converts: the
 * {@code xpc_fd} object holds a duplicate, so the descriptor is closed at once. {@link #fromXpc} only borrows its
 * argument; the descriptors it opens belong to the caller, and are closed if the conversion fails. Nesting deeper than
 * {@value #MAX_DEPTH} is refused (a peer must not be able to overflow the stack).
 *
 * <pre>{@code
 * Pointer message = values.toXpc(Map.of("method", "com.example.helper.Status", "parameters", Map.of()));
 * try { xpc.xpc_connection_send_message(connection, message); } finally { xpc.xpc_release(message); }
 * }</pre>
 */
public final class XpcValues {

	/** Deepest nesting converted. */
	public static final int MAX_DEPTH = 64;

	private static final BigInteger UINT64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

	private final LibXpc xpc;

	private final XpcConstants constants;

	private final Blocks blocks;

	XpcValues(LibXpc xpc, XpcConstants constants, Blocks blocks) {
		this.xpc = xpc;
		this.constants = constants;
		this.blocks = blocks;
	}

	/** A new XPC object (+1) for the value. */
	public Pointer toXpc(@Nullable Object value) {
		return toXpc(value, 0);
	}

	private Pointer toXpc(@Nullable Object value, int depth) {
		if (depth > MAX_DEPTH) {
			throw new XpcConversionException("Value nested deeper than " + MAX_DEPTH);
		}
		if (value == null) {
			return this.xpc.xpc_null_create();
		}
		if (value instanceof Map<?, ?> map) {
			Pointer dictionary = this.xpc.xpc_dictionary_create(null, null, 0);
			try {
				for (Map.Entry<?, ?> entry : map.entrySet()) {
					if (!(entry.getKey() instanceof String key)) {
						throw new XpcConversionException("Dictionary keys must be strings, not " + entry.getKey());
					}
					put(dictionary, cString(key, "Dictionary key"), entry.getValue(), depth + 1);
				}
				return dictionary;
			}
			catch (RuntimeException ex) {
				this.xpc.xpc_release(dictionary);
				throw ex;
			}
		}
		if (value instanceof Iterable<?> list) {
			Pointer array = this.xpc.xpc_array_create(null, 0);
			try {
				for (Object element : list) {
					Pointer child = toXpc(element, depth + 1);
					try {
						this.xpc.xpc_array_append_value(array, child);
					}
					finally {
						this.xpc.xpc_release(child);
					}
				}
				return array;
			}
			catch (RuntimeException ex) {
				this.xpc.xpc_release(array);
				throw ex;
			}
		}
		if (value instanceof String string) {
			return this.xpc.xpc_string_create(cString(string, "String"));
		}
		if (value instanceof Boolean bool) {
			return this.xpc.xpc_bool_create((byte) (bool ? 1 : 0));
		}
		if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
			return this.xpc.xpc_int64_create(((Number) value).longValue());
		}
		if (value instanceof BigInteger big) {
			if (big.bitLength() < 64) {
				return this.xpc.xpc_int64_create(big.longValue());
			}
			if (big.signum() > 0 && big.compareTo(UINT64_MAX) <= 0) {
				return this.xpc.xpc_uint64_create(big.longValue());
			}
			throw new XpcConversionException("Integer out of the int64/uint64 range: " + big);
		}
		if (value instanceof Double || value instanceof Float || value instanceof BigDecimal) {
			return this.xpc.xpc_double_create(((Number) value).doubleValue());
		}
		if (value instanceof byte[] bytes) {
			return this.xpc.xpc_data_create(bytes, bytes.length);
		}
		if (value instanceof UUID uuid) {
			return this.xpc.xpc_uuid_create(ByteBuffer.allocate(16)
				.putLong(uuid.getMostSignificantBits())
				.putLong(uuid.getLeastSignificantBits())
				.array());
		}
		if (value instanceof IpcFileDescriptor descriptor) {
			return descriptor(descriptor);
		}
		if (value instanceof Instant instant) {
			return this.xpc.xpc_date_create(
					Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L), instant.getNano()));
		}
		throw new XpcConversionException("No XPC type for " + value.getClass().getName());
	}

	/** An {@code xpc_fd} of the descriptor, which is closed on every path: the object holds its own duplicate. */
	private Pointer descriptor(IpcFileDescriptor descriptor) {
		if (!descriptor.isOpen()) {
			throw new XpcConversionException("A file descriptor was closed or released before it was sent");
		}
		try {
			Pointer object = this.xpc.xpc_fd_create(descriptor.number());
			if (object == null) {
				throw new XpcConversionException("xpc_fd_create refused " + descriptor);
			}
			return object;
		}
		finally {
			descriptor.close();
		}
	}

	/** Sets one dictionary entry, with the one-call setters for the common scalar types. */
	private void put(Pointer dictionary, String key, @Nullable Object value, int depth) {
		if (value instanceof String string) {
			this.xpc.xpc_dictionary_set_string(dictionary, key, cString(string, "String"));
		}
		else if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
			this.xpc.xpc_dictionary_set_int64(dictionary, key, ((Number) value).longValue());
		}
		else if (value instanceof Boolean bool) {
			this.xpc.xpc_dictionary_set_bool(dictionary, key, (byte) (bool ? 1 : 0));
		}
		else {
			Pointer child = toXpc(value, depth);
			try {
				this.xpc.xpc_dictionary_set_value(dictionary, key, child);
			}
			finally {
				this.xpc.xpc_release(child);
			}
		}
	}

	/**
	 * XPC strings and keys are NUL-terminated UTF-8: a NUL would silently cut the string short ({@code "a\0b"}
	 * arriving as {@code "a"}, two keys merging into one) and a lone surrogate would be replaced by {@code ?}.
	 * Refuse both instead of sending something other than what the caller wrote.
	 */
	private static String cString(String string, String what) {
		for (int i = 0; i < string.length(); i++) {
			char c = string.charAt(i);
			if (c == 0) {
				throw new XpcConversionException(what + " contains NUL at index " + i + "; XPC strings cannot carry it");
			}
			if (Character.isHighSurrogate(c) && i + 1 < string.length()
					&& Character.isLowSurrogate(string.charAt(i + 1))) {
				i++;
			}
			else if (Character.isSurrogate(c)) {
				throw new XpcConversionException(what + " contains an unpaired surrogate at index " + i
						+ "; it has no UTF-8 form");
			}
		}
		return string;
	}

	/** The Java value of a (borrowed) XPC object; the caller owns the descriptors in it. */
	public @Nullable Object fromXpc(Pointer object) {
		return fromXpc(object, XpcReceivedDescriptors.unlimited());
	}

	/**
	 * The Java value of a (borrowed) XPC object, its descriptors opened and collected in {@code received} (all of
	 * them closed when the conversion fails).
	 */
	public @Nullable Object fromXpc(Pointer object, XpcReceivedDescriptors received) {
		try {
			return fromXpc(object, 0, received);
		}
		catch (RuntimeException ex) {
			received.closeAll();
			throw ex;
		}
	}

	/** The entries of a (borrowed) XPC dictionary; the caller owns the descriptors in it. */
	public Map<String, @Nullable Object> fromDictionary(Pointer dictionary) {
		return fromDictionary(dictionary, XpcReceivedDescriptors.unlimited());
	}

	/** The entries of a (borrowed) XPC dictionary, its descriptors collected in {@code received}. */
	@SuppressWarnings("unchecked")
	public Map<String, @Nullable Object> fromDictionary(Pointer dictionary, XpcReceivedDescriptors received) {
		Object value = fromXpc(dictionary, received);
		if (!(value instanceof Map)) {
			received.closeAll();
			throw new XpcConversionException("Expected a dictionary");
		}
		return (Map<String, @Nullable Object>) value;
	}

	private @Nullable Object fromXpc(Pointer object, int depth, XpcReceivedDescriptors received) {
		if (depth > MAX_DEPTH) {
			throw new XpcConversionException("Value nested deeper than " + MAX_DEPTH);
		}
		XpcType type = this.constants.type(this.xpc.xpc_get_type(object));
		if (type == null) {
			throw new XpcConversionException("Unsupported XPC type");
		}
		return switch (type) {
			case DICTIONARY -> dictionary(object, depth, received);
			case ARRAY -> array(object, depth, received);
			case STRING -> string(object);
			case INT64 -> this.xpc.xpc_int64_get_value(object);
			case UINT64 -> unsigned(this.xpc.xpc_uint64_get_value(object));
			case DOUBLE -> this.xpc.xpc_double_get_value(object);
			case BOOL -> this.xpc.xpc_bool_get_value(object) != 0;
			case DATA -> data(object);
			case UUID -> uuid(object);
			case DATE -> date(this.xpc.xpc_date_get_value(object));
			case NULL -> null;
			case FD -> descriptor(object, received);
			case CONNECTION, ERROR -> throw new XpcConversionException("XPC " + type + " objects carry no value");
		};
	}

	/** A received descriptor, duplicated out of its object; {@code null} beyond the limit (counted, not opened). */
	private @Nullable IpcFileDescriptor descriptor(Pointer object, XpcReceivedDescriptors received) {
		if (!received.admit()) {
			return null;
		}
		int number = this.xpc.xpc_fd_dup(object);
		if (number < 0) {
			throw new XpcConversionException("xpc_fd_dup could not duplicate a received file descriptor");
		}
		IpcFileDescriptor descriptor = IpcFileDescriptor.adopt(number);
		received.add(descriptor);
		return descriptor;
	}

	private Map<String, @Nullable Object> dictionary(Pointer object, int depth, XpcReceivedDescriptors received) {
		Map<String, @Nullable Object> map = new LinkedHashMap<>();
		RuntimeException[] failure = new RuntimeException[1];
		Blocks.Block applier = this.blocks.applier((key, value) -> {
			try {
				map.put(key.getString(0, "UTF-8"), fromXpc(value, depth + 1, received));
				return true;
			}
			catch (RuntimeException ex) {
				failure[0] = ex;
				return false;
			}
		});
		try {
			this.xpc.xpc_dictionary_apply(object, applier.literal());
		}
		finally {
			applier.handedOver();
		}
		if (failure[0] != null) {
			throw failure[0];
		}
		return map;
	}

	private List<@Nullable Object> array(Pointer object, int depth, XpcReceivedDescriptors received) {
		long count = this.xpc.xpc_array_get_count(object);
		List<@Nullable Object> list = new ArrayList<>((int) Math.min(count, 1024));
		for (long i = 0; i < count; i++) {
			list.add(fromXpc(this.xpc.xpc_array_get_value(object, i), depth + 1, received));
		}
		return list;
	}

	private String string(Pointer object) {
		Pointer chars = this.xpc.xpc_string_get_string_ptr(object);
		return (chars != null) ? chars.getString(0, "UTF-8") : "";
	}

	private static Object unsigned(long value) {
		return (value >= 0) ? (Object) value : new BigInteger(Long.toUnsignedString(value));
	}

	private byte[] data(Pointer object) {
		long length = this.xpc.xpc_data_get_length(object);
		Pointer bytes = this.xpc.xpc_data_get_bytes_ptr(object);
		return (bytes != null && length > 0) ? bytes.getByteArray(0, Math.toIntExact(length)) : new byte[0];
	}

	private UUID uuid(Pointer object) {
		ByteBuffer bytes = ByteBuffer.wrap(this.xpc.xpc_uuid_get_bytes(object).getByteArray(0, 16));
		return new UUID(bytes.getLong(), bytes.getLong());
	}

	private static Instant date(long nanos) {
		return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
	}

}
