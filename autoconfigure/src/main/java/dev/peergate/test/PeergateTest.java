package dev.peergate.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.autoconfigure.OverrideAutoConfiguration;
import org.springframework.boot.test.context.filter.annotation.TypeExcludeFilters;
import org.springframework.context.annotation.ComponentScan.Filter;
import org.springframework.core.annotation.AliasFor;
import org.springframework.test.context.BootstrapWith;
import org.springframework.test.context.junit.jupiter.SpringExtension;

/**
 * A test of an application's Peergate handlers and requirements, as {@code @WebMvcTest} is for controllers: it
 * starts only the {@link dev.peergate.handler.IpcInterface} beans (and Peergate's extension beans such as
 * interceptors) with Peergate's auto-configurations, puts every configured listener on the in-process transport
 * (the requirement, method requirements, events and metrics stay as configured) and provides a
 * {@link PeergateTester} that calls as the peer {@link WithPeer} states.
 *
 * <pre>{@code
 * @PeergateTest
 * @WithPeer(uid = 1000, groups = "wheel", executable = "/usr/bin/example-cli")
 * class HelperTests {
 *     @IpcInterface("com.example.helper")
 *     interface Helper {
 *         @IpcMethod
 *         Status status();
 *     }
 *
 *     @Autowired
 *     PeergateTester peergate;
 *
 *     @Test
 *     void statusNamesTheCaller() {
 *         assertThat(this.peergate.client(Helper.class).status().callerUid()).isEqualTo(1000);
 *     }
 * }
 * }</pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@BootstrapWith(PeergateTestContextBootstrapper.class)
@ExtendWith(SpringExtension.class)
@OverrideAutoConfiguration(enabled = false)
@TypeExcludeFilters(PeergateTypeExcludeFilter.class)
@AutoConfigurePeergate
@ImportAutoConfiguration
public @interface PeergateTest {

	/**
	 * Properties in {@code key=value} form added to the environment before the test runs, e.g.
	 * {@code "peergate.listeners.helper.requirement.uid=1000"}.
	 */
	String[] properties() default {};

	/** Whether the {@code @IpcInterface} beans and Peergate's extension beans are found by component scanning. */
	boolean useDefaultFilters() default true;

	/** More beans for the application context, found by component scanning. */
	Filter[] includeFilters() default {};

	/** Beans left out of component scanning. */
	Filter[] excludeFilters() default {};

	/** Auto-configurations left out of the test. */
	@AliasFor(annotation = ImportAutoConfiguration.class, attribute = "exclude")
	Class<?>[] excludeAutoConfiguration() default {};

}
