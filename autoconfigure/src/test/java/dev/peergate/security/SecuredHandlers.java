package dev.peergate.security;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.peergate.core.Peer;
import dev.peergate.handler.IpcInterface;
import dev.peergate.handler.IpcMethod;
import org.springframework.security.access.annotation.Secured;
import org.springframework.security.access.prepost.PostAuthorize;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/** Handlers guarded by method security. */
@IpcInterface("com.example.secured")
public class SecuredHandlers {

	/** Holds {@link #whoAmIAfterAWhile} until released, so that two calls overlap. */
	final CountDownLatch overlap = new CountDownLatch(2);

	@IpcMethod
	@PreAuthorize("hasAuthority('uid:1000')")
	public Done clearCache() {
		return new Done("cleared");
	}

	@IpcMethod(blocking = false)
	@PreAuthorize("hasAuthority('uid:1000')")
	public Done clearCacheWithoutBlocking() {
		return new Done("cleared");
	}

	@IpcMethod
	@Secured("gid:27")
	public Done restart() {
		return new Done("restarted");
	}

	@IpcMethod
	@PostAuthorize("returnObject.uid() == 1000")
	public Who secret() {
		return new Who(principal().uid(), "the secret");
	}

	@IpcMethod
	public Who whoAmIAfterAWhile() throws InterruptedException {
		this.overlap.countDown();
		this.overlap.await(10, TimeUnit.SECONDS); // both calls are inside their handlers now
		return new Who(principal().uid(), currentName());
	}

	@IpcMethod
	public Who whoAmI() {
		return new Who(principal().uid(), currentName());
	}

	private static Peer principal() {
		return (Peer) SecurityContextHolder.getContext().getAuthentication().getPrincipal();
	}

	private static String currentName() {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		return authentication.getName() + " " + authentication.getAuthorities();
	}

	/** A result. */
	public record Done(String what) {
	}

	/** Who called. */
	public record Who(long uid, String name) {
	}

}
