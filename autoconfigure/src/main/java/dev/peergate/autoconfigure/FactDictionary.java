package dev.peergate.autoconfigure;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a requirement property that holds a fact dictionary, written as a map or as one JSON object string: the
 * binder then accepts the string ({@link FactDictionaryConverter}); the requirement itself is read by
 * {@link RequirementTrees} with its {@code $} keys intact.
 */
@Target(ElementType.FIELD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@interface FactDictionary {

}
