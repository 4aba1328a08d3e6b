package dev.peergate.handler;

import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.ValueDeserializer;

/**
 * Number deserializers for the types whose range Jackson does not check: a {@code byte} from 200 would wrap to
 * -56, and a float or double beyond its range becomes infinity. Each refuses, so {@link Values#bind} answers
 * {@code InvalidParameter}; values of other JSON types are refused too (strings are not numbers).
 */
final class StrictNumbers {

	static final ValueDeserializer<Byte> BYTE = new ValueDeserializer<>() {

		@Override
		public Byte deserialize(JsonParser parser, DeserializationContext context) {
			long value = integer(parser, context, Byte.class);
			if (value < Byte.MIN_VALUE || value > Byte.MAX_VALUE) {
				return (Byte) context.handleWeirdNumberValue(Byte.class, value, "out of range of a byte");
			}
			return (byte) value;
		}

	};

	static final ValueDeserializer<Double> DOUBLE = new ValueDeserializer<>() {

		@Override
		public Double deserialize(JsonParser parser, DeserializationContext context) {
			double value = decimal(parser, context, Double.class);
			if (Double.isInfinite(value)) {
				return (Double) context.handleWeirdNumberValue(Double.class, value, "out of range of a double");
			}
			return value;
		}

	};

	static final ValueDeserializer<Float> FLOAT = new ValueDeserializer<>() {

		@Override
		public Float deserialize(JsonParser parser, DeserializationContext context) {
			double value = decimal(parser, context, Float.class);
			if (Double.isInfinite(value) || Math.abs(value) > Float.MAX_VALUE) {
				return (Float) context.handleWeirdNumberValue(Float.class, value, "out of range of a float");
			}
			return (float) value;
		}

	};

	private StrictNumbers() {
	}

	private static long integer(JsonParser parser, DeserializationContext context, Class<?> type) {
		if (parser.currentToken() != JsonToken.VALUE_NUMBER_INT) {
			context.handleUnexpectedToken(type, parser);
		}
		if (parser.getNumberType() != JsonParser.NumberType.INT && parser.getNumberType() != JsonParser.NumberType.LONG) {
			context.handleWeirdNumberValue(type, parser.getNumberValue(), "out of range");
		}
		return parser.getLongValue();
	}

	private static double decimal(JsonParser parser, DeserializationContext context, Class<?> type) {
		JsonToken token = parser.currentToken();
		if (token != JsonToken.VALUE_NUMBER_FLOAT && token != JsonToken.VALUE_NUMBER_INT) {
			context.handleUnexpectedToken(type, parser); // "1.5" is a string, true is a boolean
		}
		return parser.getDoubleValue();
	}

}
