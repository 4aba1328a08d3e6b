package dev.peergate.security;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import dev.peergate.core.FactNames;
import dev.peergate.core.Peer;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * The authorities of a calling peer, from its verified facts. Declare a bean of this type to replace the default,
 * which grants {@code uid:<uid>}, {@code gid:<gid>} for the primary and each supplementary group,
 * {@code user:<name>}, {@code group:<name>}, {@code unit:<systemd unit>}, {@code team:<team identifier>},
 * {@code signing-id:<signing identifier>} (each when verified) and {@code listener:<name>}.
 *
 * <pre>{@code
 * @Bean
 * PeerAuthoritiesMapper rolesFromGroups() {
 *     return peer -> peer.groups().contains(27L) ? List.of(new SimpleGrantedAuthority("ROLE_ADMIN")) : List.of();
 * }
 *
 * @IpcMethod
 * @PreAuthorize("hasAuthority('uid:0') or hasAuthority('group:wheel')")
 * void clearCache() { ... }
 * }</pre>
 */
@FunctionalInterface
public interface PeerAuthoritiesMapper {

	/** The authorities of {@code peer}. */
	Collection<? extends GrantedAuthority> authorities(Peer peer);

	/** The default mapping described above. */
	static PeerAuthoritiesMapper fromVerifiedFacts() {
		return (peer) -> {
			List<GrantedAuthority> authorities = new ArrayList<>();
			if (peer.uid() >= 0) {
				authorities.add(new SimpleGrantedAuthority("uid:" + peer.uid()));
			}
			if (peer.gid() >= 0) {
				authorities.add(new SimpleGrantedAuthority("gid:" + peer.gid()));
			}
			for (Long group : peer.groups()) {
				if (group != peer.gid()) {
					authorities.add(new SimpleGrantedAuthority("gid:" + group));
				}
			}
			add(authorities, "user:", peer.fact(FactNames.USER));
			add(authorities, "group:", peer.fact(FactNames.GROUP));
			add(authorities, "unit:", peer.fact(FactNames.SYSTEMD_UNIT));
			add(authorities, "team:", peer.fact(FactNames.TEAM_IDENTIFIER));
			add(authorities, "signing-id:", peer.fact(FactNames.SIGNING_IDENTIFIER));
			authorities.add(new SimpleGrantedAuthority("listener:" + peer.listener()));
			return authorities;
		};
	}

	private static void add(List<GrantedAuthority> authorities, String prefix, @org.jspecify.annotations.Nullable String value) {
		if (value != null && !value.isEmpty()) {
			authorities.add(new SimpleGrantedAuthority(prefix + value));
		}
	}

}
