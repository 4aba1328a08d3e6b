package dev.peergate.autoconfigure;

import java.util.Map;
import java.util.Set;

import dev.peergate.handler.Values;
import org.jspecify.annotations.Nullable;
import org.springframework.core.convert.TypeDescriptor;
import org.springframework.core.convert.converter.ConditionalGenericConverter;

/**
 * Lets the binder take a fact dictionary given as one JSON object string, the form environment variables and
 * command-line arguments carry ({@code PEERGATE_LISTENERS_HELPER_REQUIREMENT_LINUX='{"uid":0}'}). Without it the
 * binder stops the start with "No converter found ... to type java.util.Map". Applies only to properties marked
 * {@link FactDictionary}, so no other configuration of the application changes meaning.
 */
final class FactDictionaryConverter implements ConditionalGenericConverter {

	@Override
	public Set<ConvertiblePair> getConvertibleTypes() {
		return Set.of(new ConvertiblePair(String.class, Map.class));
	}

	@Override
	public boolean matches(TypeDescriptor sourceType, TypeDescriptor targetType) {
		return targetType.hasAnnotation(FactDictionary.class);
	}

	@Override
	public @Nullable Object convert(@Nullable Object source, TypeDescriptor sourceType, TypeDescriptor targetType) {
		String json = (String) source;
		if (json == null || json.isBlank()) {
			return null;
		}
		try {
			return Values.mapper().readValue(json, Map.class);
		}
		catch (RuntimeException ex) {
			throw new IllegalArgumentException("not a JSON object (write the requirement as a map, or as one JSON "
					+ "object such as {\"uid\": {\"$in\": [0, 1000]}}): " + ex.getMessage());
		}
	}

}
