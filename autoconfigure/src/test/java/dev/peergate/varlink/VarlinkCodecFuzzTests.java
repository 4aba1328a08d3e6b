package dev.peergate.varlink;

import com.code_intelligence.jazzer.junit.FuzzTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whatever a peer sends, the codec either decodes it or throws {@link VarlinkProtocolException}: nothing else may
 * escape into the transport. The normal test run replays the seed inputs next to this class; run with
 * {@code JAZZER_FUZZ=1} to fuzz.
 */
class VarlinkCodecFuzzTests {

	private final VarlinkCodec codec = new VarlinkCodec(32);

	@FuzzTest
	void decodesAnyBytesOrRefusesThem(byte[] frame) {
		try {
			assertThat(this.codec.decodeRequest(frame).method()).isNotEmpty();
		}
		catch (VarlinkProtocolException ex) {
			assertThat(ex.kind()).isNotNull();
		}
		try {
			assertThat(this.codec.decodeReply(frame).parameters()).isNotNull();
		}
		catch (VarlinkProtocolException ex) {
			assertThat(ex.kind()).isNotNull();
		}
	}

}
