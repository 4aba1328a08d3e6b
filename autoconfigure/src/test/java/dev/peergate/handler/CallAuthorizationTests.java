package dev.peergate.handler;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What a call carries for an authority: copied in and out, compared by content, never printed. */
class CallAuthorizationTests {

	private static final byte[] FORM = { 1, 2, 3, 4 };

	@Test
	void nothingAndNoInteractionIsNone() {
		assertThat(CallAuthorization.of(null, false)).isSameAs(CallAuthorization.NONE);
		assertThat(CallAuthorization.NONE.externalForm()).isEmpty();
		assertThat(CallAuthorization.NONE.interactionAllowed()).isFalse();
		assertThat(CallAuthorization.of(null, true)).isNotSameAs(CallAuthorization.NONE);
		assertThat(CallAuthorization.of(FORM, false)).isNotSameAs(CallAuthorization.NONE);
	}

	@Test
	void copiesTheExternalFormInAndOut() {
		byte[] given = FORM.clone();
		CallAuthorization authorization = CallAuthorization.of(given, false);
		given[0] = 9;
		byte[] read = authorization.externalForm().orElseThrow();
		assertThat(read).containsExactly(1, 2, 3, 4);
		read[1] = 9;
		assertThat(authorization.externalForm().orElseThrow()).containsExactly(1, 2, 3, 4);
	}

	@Test
	void allowingInteractionKeepsTheForm() {
		CallAuthorization allowing = CallAuthorization.of(FORM, false).allowingInteraction();
		assertThat(allowing.interactionAllowed()).isTrue();
		assertThat(allowing.externalForm().orElseThrow()).containsExactly(FORM);
		assertThat(allowing.allowingInteraction()).isSameAs(allowing);
	}

	@Test
	void equalByContent() {
		assertThat(CallAuthorization.of(FORM, true)).isEqualTo(CallAuthorization.of(FORM.clone(), true))
			.hasSameHashCodeAs(CallAuthorization.of(FORM.clone(), true))
			.isNotEqualTo(CallAuthorization.of(FORM, false))
			.isNotEqualTo(CallAuthorization.of(new byte[] { 1, 2, 3, 5 }, true))
			.isNotEqualTo(CallAuthorization.of(null, true))
			.isNotEqualTo("CallAuthorization");
		assertThat(CallAuthorization.of(FORM, true).hashCode()).isNotEqualTo(CallAuthorization.of(FORM, false).hashCode());
	}

	@Test
	void neverPrintsTheExternalForm() {
		assertThat(CallAuthorization.of(FORM, true))
			.hasToString("CallAuthorization[externalForm=present, interactionAllowed=true]");
		assertThat(CallAuthorization.NONE).hasToString("CallAuthorization[externalForm=none, interactionAllowed=false]");
	}

}
