package dev.peergate.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;

/**
 * Imports Peergate's auto-configurations, the metrics and observation ones Boot's tests need, and the
 * {@link PeergateTester}, and puts every configured listener on the in-process transport. {@link PeergateTest}
 * carries it; on its own it adds Peergate to another slice or to {@code @SpringBootTest}.
 *
 * <pre>{@code
 * @SpringBootTest
 * @AutoConfigurePeergate
 * @WithPeer(uid = 1000)
 * class HelperApplicationTests {
 *     @Autowired
 *     PeergateTester peergate;
 * }
 * }</pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ImportAutoConfiguration
public @interface AutoConfigurePeergate {

}
