package dev.peergate.xpc;

import java.math.BigInteger;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** The requirement forms' own rules: entitlement values are the three XPC types libxpc matches. */
class XpcRequirementTests {

	@Test
	void entitlementValueKeepsBoolStringAndLong() {
		assertThat(entitlementValue(true)).isEqualTo(true);
		assertThat(entitlementValue("gold")).isEqualTo("gold");
		assertThat(entitlementValue(Long.MIN_VALUE)).isEqualTo(Long.MIN_VALUE);
	}

	@Test
	void entitlementValueWidensSmallerIntegersToInt64() {
		assertThat(entitlementValue(3)).isEqualTo(3L);
		assertThat(entitlementValue((short) 3)).isEqualTo(3L);
		assertThat(entitlementValue(BigInteger.valueOf(Long.MAX_VALUE))).isEqualTo(Long.MAX_VALUE);
	}

	@Test
	void entitlementValueOutsideInt64IsRefused() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> XpcRequirement.entitlementMatches("x", BigInteger.ONE.shiftLeft(63)))
			.withMessageContaining("outside int64");
	}

	@Test
	void entitlementValueOfAnotherTypeIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> XpcRequirement.entitlementMatches("x", 1.5))
			.withMessageContaining("not a bool, string or int64");
		assertThatIllegalArgumentException().isThrownBy(() -> XpcRequirement.entitlementMatches("x", List.of("a")));
	}

	@Test
	void entitlementNameOrStringValueWithNulIsRefusedBecauseLibxpcWouldCutItShort() {
		assertThatIllegalArgumentException().isThrownBy(() -> XpcRequirement.entitlementExists("com.example\0x"));
		assertThatIllegalArgumentException().isThrownBy(() -> XpcRequirement.entitlementExists(" "));
		assertThatIllegalArgumentException().isThrownBy(() -> XpcRequirement.entitlementMatches("x", "gold\0silver"))
			.withMessageContaining("NUL");
	}

	@Test
	void describesTheValueWithItsType() {
		assertThat(XpcRequirement.entitlementMatches("x", "true").describe()).isEqualTo("entitlement x = \"true\"");
		assertThat(XpcRequirement.entitlementMatches("x", true).describe()).isEqualTo("entitlement x = true");
		assertThat(XpcRequirement.entitlementMatches("x", 7).describe()).isEqualTo("entitlement x = 7");
		assertThat(XpcRequirement.entitlementExists("x").describe()).isEqualTo("entitlement x");
	}

	private static Object entitlementValue(Object value) {
		return ((XpcRequirement.EntitlementMatches) XpcRequirement.entitlementMatches("x", value)).value();
	}

}
