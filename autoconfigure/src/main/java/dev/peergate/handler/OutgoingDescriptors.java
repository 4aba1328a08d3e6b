package dev.peergate.handler;

import java.util.Arrays;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.exc.StreamWriteException;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.JacksonModule;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.util.TokenBuffer;

/**
 * The file descriptors of one outgoing message, collected while it is written: each {@link IpcFileDescriptor} met
 * in the message is taken over ({@link IpcFileDescriptor#release()}) and written as its index in this list, which
 * the transport then sends with the message ({@code SCM_RIGHTS}) and closes. Set as the writer's attribute
 * {@link #ATTRIBUTE}; without it, a descriptor stays an embedded object (in maps of wire values) and cannot be
 * written as JSON.
 *
 * <pre>{@code
 * OutgoingDescriptors descriptors = new OutgoingDescriptors();
 * mapper.writer().withAttribute(OutgoingDescriptors.ATTRIBUTE, descriptors).writeValue(out, message);
 * sendWithRights(out, descriptors.numbers());
 * descriptors.closeAll();
 * }</pre>
 */
public final class OutgoingDescriptors {

	/** The writer attribute under which a transport collects a message's descriptors. */
	public static final Object ATTRIBUTE = OutgoingDescriptors.class;

	private int[] numbers = new int[0];

	private int size;

	/** Takes the descriptor over and returns its index in this message. */
	int add(IpcFileDescriptor descriptor) {
		int number = descriptor.release();
		if (this.size == this.numbers.length) {
			this.numbers = Arrays.copyOf(this.numbers, Math.max(4, this.size * 2));
		}
		this.numbers[this.size] = number;
		return this.size++;
	}

	/** How many descriptors the message carries. */
	public int size() {
		return this.size;
	}

	/** Whether the message carries none. */
	public boolean isEmpty() {
		return this.size == 0;
	}

	/** The descriptors, in index order; still owned by this object. */
	public int[] numbers() {
		return Arrays.copyOf(this.numbers, this.size);
	}

	/** Closes every descriptor collected (after sending, or when the message is dropped). */
	public void closeAll() {
		for (int i = 0; i < this.size; i++) {
			IpcFileDescriptor.adopt(this.numbers[i]).close();
		}
		this.size = 0;
	}

	/**
	 * The Jackson module that knows {@link IpcFileDescriptor}: written as an index when a transport collects the
	 * descriptors, else kept as an embedded object; read only from an embedded object (a transport put it there).
	 */
	public static JacksonModule module() {
		return new SimpleModule("peergate-file-descriptors")
			.addSerializer(IpcFileDescriptor.class, new Writer())
			.addDeserializer(IpcFileDescriptor.class, new Reader());
	}

	private static final class Writer extends ValueSerializer<IpcFileDescriptor> {

		@Override
		public void serialize(IpcFileDescriptor value, JsonGenerator generator, SerializationContext context)
				throws JacksonException {
			if (context.getAttribute(ATTRIBUTE) instanceof OutgoingDescriptors collected) {
				generator.writeNumber(collected.add(value));
			}
			else if (generator instanceof TokenBuffer) {
				generator.writeEmbeddedObject(value); // a map of wire values keeps the descriptor itself
			}
			else {
				value.close(); // it was handed over to be sent, and cannot be
				throw new StreamWriteException(generator, "a file descriptor cannot be sent on this connection");
			}
		}

	}

	private static final class Reader extends ValueDeserializer<IpcFileDescriptor> {

		@Override
		public IpcFileDescriptor deserialize(JsonParser parser, DeserializationContext context)
				throws JacksonException {
			if (parser.currentToken() == JsonToken.VALUE_EMBEDDED_OBJECT
					&& parser.getEmbeddedObject() instanceof IpcFileDescriptor descriptor) {
				return descriptor;
			}
			return (IpcFileDescriptor) context.handleUnexpectedToken(IpcFileDescriptor.class, parser);
		}

	}

}
