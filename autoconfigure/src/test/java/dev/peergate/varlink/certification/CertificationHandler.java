package dev.peergate.varlink.certification;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.peergate.handler.IpcError;
import dev.peergate.handler.IpcErrorType;
import dev.peergate.handler.IpcInterface;
import dev.peergate.handler.IpcMethod;
import dev.peergate.handler.IpcStream;
import dev.peergate.varlink.certification.Certification.CertificationError;
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
import dev.peergate.handler.Values;
import org.jspecify.annotations.Nullable;

/**
 * The {@code org.varlink.certification} service on Peergate's public handler API: each step checks what the
 * client sent against what the previous step returned (as the varlink reference server does) and answers
 * {@code CertificationError (wants, got)} otherwise; {@code End} reports {@code all_ok} only when every step
 * passed, in order.
 */
@IpcInterface(value = Certification.INTERFACE, description = "Interface to test varlink implementations against.")
@IpcErrorType(name = "ClientIdError")
@IpcErrorType(name = "CertificationError", parameters = CertificationError.class)
public class CertificationHandler {

	private static final String CLIENT_ID_ERROR = Certification.INTERFACE + ".ClientIdError";

	private static final String CERTIFICATION_ERROR = Certification.INTERFACE + ".CertificationError";

	private final Map<String, Progress> clients = new ConcurrentHashMap<>();

	private final List<Boolean> ends = new CopyOnWriteArrayList<>();

	/** The {@code all_ok} of every {@code End} answered so far. */
	public List<Boolean> ends() {
		return List.copyOf(this.ends);
	}

	@IpcMethod
	public ClientId start() {
		String id = UUID.randomUUID().toString();
		this.clients.put(id, new Progress());
		return new ClientId(id);
	}

	@IpcMethod
	public Test01Reply test01(ClientId request) {
		step(request.client_id(), 1);
		return new Test01Reply(true);
	}

	@IpcMethod
	public Test02Reply test02(Test02 request) {
		Progress progress = step(request.client_id(), 2);
		check(progress, true, request.bool());
		return new Test02Reply(1);
	}

	@IpcMethod
	public Test03Reply test03(Test03 request) {
		Progress progress = step(request.client_id(), 3);
		check(progress, 1L, request.value());
		return new Test03Reply(1.0);
	}

	@IpcMethod
	public Test04Reply test04(Test04 request) {
		Progress progress = step(request.client_id(), 4);
		check(progress, 1.0, request.value());
		return new Test04Reply("ping");
	}

	@IpcMethod
	public Test05Reply test05(Test05 request) {
		Progress progress = step(request.client_id(), 5);
		check(progress, "ping", request.string());
		return new Test05Reply(false, 2, Math.PI, Certification.A_LOT_OF_STRING);
	}

	@IpcMethod
	public Test06Reply test06(Test06 request) {
		Progress progress = step(request.client_id(), 6);
		check(progress, Certification.basics(),
				new Certification.Basics(request.bool(), request.intValue(), request.floatValue(), request.string()));
		return new Test06Reply(Certification.basics());
	}

	@IpcMethod
	public Test07Reply test07(Test07 request) {
		Progress progress = step(request.client_id(), 7);
		check(progress, Certification.basics(), request.struct());
		return new Test07Reply(Certification.map());
	}

	@IpcMethod
	public Test08Reply test08(Test08 request) {
		Progress progress = step(request.client_id(), 8);
		check(progress, Certification.map(), request.map());
		return new Test08Reply(Certification.set());
	}

	@IpcMethod
	public Test09Reply test09(Test09 request) {
		Progress progress = step(request.client_id(), 9);
		check(progress, Certification.set(), request.set());
		return new Test09Reply(Certification.myType());
	}

	/** Streams ten replies; the dispatcher refuses a call without {@code more} with ExpectedMore. */
	@IpcMethod
	public Test10Reply test10(Test10 request, IpcStream<Test10Reply> replies) {
		Progress progress = step(request.client_id(), 10);
		check(progress, Certification.myType(), request.mytype());
		List<String> strings = Certification.test10Replies();
		for (String string : strings.subList(0, strings.size() - 1)) {
			replies.send(new Test10Reply(string));
		}
		return new Test10Reply(strings.get(strings.size() - 1));
	}

	/** Called oneway by certification clients. */
	@IpcMethod
	public void test11(Test11 request) {
		Progress progress = step(request.client_id(), 11);
		try {
			check(progress, Certification.test10Replies(), request.last_more_replies());
		}
		finally {
			progress.test11.countDown();
		}
	}

	@IpcMethod
	public EndReply end(ClientId request) throws InterruptedException {
		Progress progress = this.clients.get(request.client_id());
		if (progress == null) {
			throw new IpcError(CLIENT_ID_ERROR);
		}
		// Test11 is oneway: the client does not wait for it, so it may still be running on another handler thread.
		boolean test11Done = progress.test11.await(10, TimeUnit.SECONDS);
		step(request.client_id(), 12);
		this.clients.remove(request.client_id());
		boolean allOk = test11Done && progress.allOk();
		this.ends.add(allOk);
		return new EndReply(allOk);
	}

	private Progress step(String clientId, int test) {
		Progress progress = this.clients.get(clientId);
		if (progress == null) {
			throw new IpcError(CLIENT_ID_ERROR);
		}
		progress.step(test);
		return progress;
	}

	private static void check(Progress progress, Object wants, @Nullable Object got) {
		if (!Objects.equals(wants, got)) {
			progress.fail();
			throw new IpcError(CERTIFICATION_ERROR,
					Values.toMap(new CertificationError(Values.mapper().valueToTree(wants),
							(got != null) ? Values.mapper().valueToTree(got) : null)));
		}
	}

	private static final class Progress {

		final CountDownLatch test11 = new CountDownLatch(1);

		private int next = 1;

		private boolean ok = true;

		synchronized void step(int test) {
			if (test != this.next) {
				this.ok = false;
			}
			this.next = test + 1;
		}

		synchronized void fail() {
			this.ok = false;
		}

		synchronized boolean allOk() {
			return this.ok && this.next == 13;
		}

	}

}
