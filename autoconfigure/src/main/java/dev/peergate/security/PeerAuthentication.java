package dev.peergate.security;

import java.util.Collection;

import dev.peergate.core.Peer;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;

/**
 * The calling peer as Spring Security sees it while its handler runs: authenticated by its listener (the kernel's
 * credentials and what was verified through its pidfd or audit token), the {@link Peer} as principal, no
 * credentials.
 *
 * <pre>{@code
 * @IpcMethod
 * Status status() {
 *     Peer peer = (Peer) SecurityContextHolder.getContext().getAuthentication().getPrincipal();
 *     return new Status(peer.uid());
 * }
 * }</pre>
 */
public final class PeerAuthentication extends AbstractAuthenticationToken {

	private static final long serialVersionUID = 1L;

	private final Peer peer;

	/** The peer with its authorities, authenticated. */
	public PeerAuthentication(Peer peer, Collection<? extends GrantedAuthority> authorities) {
		super(authorities);
		this.peer = peer;
		setAuthenticated(true);
	}

	@Override
	public Peer getPrincipal() {
		return this.peer;
	}

	@Override
	public Object getCredentials() {
		return "";
	}

	/** {@code uid:<uid>@<listener>}, e.g. {@code uid:1000@helper}. */
	@Override
	public String getName() {
		return "uid:" + this.peer.uid() + "@" + this.peer.listener();
	}

}
