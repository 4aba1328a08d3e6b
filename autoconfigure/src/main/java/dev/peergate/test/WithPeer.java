package dev.peergate.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Who calls in a {@link PeergateTest}, as {@code @WithMockUser} states who is logged in: the facts a transport would
 * have verified about the peer. {@link PeergateTester#client} and {@link PeergateTester#connect()} call as this peer;
 * the listener's gate decides about it as about a socket peer with these facts. On a method it replaces the one on
 * the class. A fact not stated here is one the transport could not verify: a requirement that reads it refuses the
 * peer, as it would in production.
 *
 * <pre>{@code
 * @Test
 * @WithPeer(uid = 1000, groups = "wheel", executable = "/usr/bin/example-cli")
 * void theAdminToolMayClearTheCache() {
 *     assertThat(this.peergate.client(Helper.class).clearCache().entries()).isZero();
 * }
 * }</pre>
 */
@Target({ ElementType.METHOD, ElementType.TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
public @interface WithPeer {

	/** For {@link #uid()}: the uid (and then the gid) of the process running the test. */
	long SELF = -1;

	/** The peer's effective uid; by default this process's, which a {@code same-user} requirement accepts. */
	long uid() default SELF;

	/** The peer's effective gid; by default this process's when {@link #uid()} is too, else not stated. */
	long gid() default SELF;

	/** Supplementary groups, by name (resolved as requirements resolve them) or number. */
	String[] groups() default {};

	/** The absolute path of the peer's executable ({@code executable-path}); empty: not stated. */
	String executable() default "";

	/**
	 * Other verified facts as {@code name=value}, e.g. {@code "systemd-unit=example-cli.service"} or
	 * {@code "no-new-privs=true"}; a whole number is a number and {@code true}/{@code false} a boolean.
	 */
	String[] facts() default {};

	/** The listener to call; empty: the only one configured. */
	String listener() default "";

}
