package dev.peergate.varlink.certification;

import java.util.List;

import dev.peergate.client.VarlinkClient;
import dev.peergate.client.VarlinkReplies;
import dev.peergate.varlink.certification.Certification.ClientId;
import dev.peergate.varlink.certification.Certification.EndReply;
import dev.peergate.varlink.certification.Certification.Test01Reply;
import dev.peergate.varlink.certification.Certification.Test02;
import dev.peergate.varlink.certification.Certification.Test02Reply;
import dev.peergate.varlink.certification.Certification.Test03;
import dev.peergate.varlink.certification.Certification.Test03Reply;
import dev.peergate.varlink.certification.Certification.Test04;
import dev.peergate.varlink.certification.Certification.Test04Reply;
import dev.peergate.varlink.certification.Certification.Test05;
import dev.peergate.varlink.certification.Certification.Test05Reply;
import dev.peergate.varlink.certification.Certification.Test06;
import dev.peergate.varlink.certification.Certification.Test06Reply;
import dev.peergate.varlink.certification.Certification.Test07;
import dev.peergate.varlink.certification.Certification.Test07Reply;
import dev.peergate.varlink.certification.Certification.Test08;
import dev.peergate.varlink.certification.Certification.Test08Reply;
import dev.peergate.varlink.certification.Certification.Test09;
import dev.peergate.varlink.certification.Certification.Test09Reply;
import dev.peergate.varlink.certification.Certification.Test10;
import dev.peergate.varlink.certification.Certification.Test10Reply;
import dev.peergate.varlink.certification.Certification.Test11;

import static org.assertj.core.api.Assertions.assertThat;

/** The client side of the certification: Start, Test01 … Test11, End, each checked against the expected values. */
public final class CertificationClient {

	private static final String I = Certification.INTERFACE + ".";

	private CertificationClient() {
	}

	/** Runs every step on the client's server; returns the {@code all_ok} that {@code End} reported. */
	public static boolean run(VarlinkClient client) {
		String id = client.call(I + "Start", null, ClientId.class).client_id();
		assertThat(id).isNotBlank();
		ClientId clientId = new ClientId(id);

		boolean bool = client.call(I + "Test01", clientId, Test01Reply.class).bool();
		assertThat(bool).isTrue();

		long integer = client.call(I + "Test02", new Test02(id, bool), Test02Reply.class).value();
		assertThat(integer).isEqualTo(1);

		double floating = client.call(I + "Test03", new Test03(id, integer), Test03Reply.class).value();
		assertThat(floating).isEqualTo(1.0);

		String string = client.call(I + "Test04", new Test04(id, floating), Test04Reply.class).string();
		assertThat(string).isEqualTo("ping");

		Test05Reply five = client.call(I + "Test05", new Test05(id, string), Test05Reply.class);
		assertThat(five).isEqualTo(new Test05Reply(false, 2, Math.PI, Certification.A_LOT_OF_STRING));

		Test06Reply six = client.call(I + "Test06",
				new Test06(id, five.bool(), five.intValue(), five.floatValue(), five.string()), Test06Reply.class);
		assertThat(six.struct()).isEqualTo(Certification.basics());

		Test07Reply seven = client.call(I + "Test07", new Test07(id, six.struct()), Test07Reply.class);
		assertThat(seven.map()).isEqualTo(Certification.map());

		Test08Reply eight = client.call(I + "Test08", new Test08(id, seven.map()), Test08Reply.class);
		assertThat(eight.set()).isEqualTo(Certification.set());

		Test09Reply nine = client.call(I + "Test09", new Test09(id, eight.set()), Test09Reply.class);
		assertThat(nine.mytype()).isEqualTo(Certification.myType());

		List<String> ten;
		try (VarlinkReplies<Test10Reply> replies = client.more(I + "Test10", new Test10(id, nine.mytype()),
				Test10Reply.class)) {
			ten = replies.stream().map(Test10Reply::string).toList();
		}
		assertThat(ten).isEqualTo(Certification.test10Replies());

		client.oneway(I + "Test11", new Test11(id, ten));

		return client.call(I + "End", clientId, EndReply.class).all_ok();
	}

}
