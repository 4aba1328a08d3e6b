package dev.peergate.test;

import org.jspecify.annotations.Nullable;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.test.context.TestContext;
import org.springframework.test.context.TestContextAnnotationUtils;
import org.springframework.test.context.support.AbstractTestExecutionListener;

/**
 * Hands the {@link PeergateTester} of the test's context the peer of the test method's {@link WithPeer} (else the
 * class's, enclosing classes included) before the method, and closes its connections after. Registered through
 * {@code META-INF/spring.factories}; a context without a tester is left alone.
 */
public final class WithPeerTestExecutionListener extends AbstractTestExecutionListener {

	/** After dependency injection, before transactions and the test's own {@code @BeforeEach} methods. */
	@Override
	public int getOrder() {
		return 2100;
	}

	@Override
	public void beforeTestMethod(TestContext testContext) {
		WithPeer method = AnnotatedElementUtils.findMergedAnnotation(testContext.getTestMethod(), WithPeer.class);
		WithPeer stated = (method != null) ? method
				: TestContextAnnotationUtils.findMergedAnnotation(testContext.getTestClass(), WithPeer.class);
		PeergateTester tester = tester(testContext);
		if (tester != null) {
			tester.state(stated);
		}
	}

	@Override
	public void afterTestMethod(TestContext testContext) {
		PeergateTester tester = tester(testContext);
		if (tester != null) {
			tester.finish();
		}
	}

	private static @Nullable PeergateTester tester(TestContext testContext) {
		if (!testContext.hasApplicationContext()) {
			return null;
		}
		return testContext.getApplicationContext().getBeanProvider(PeergateTester.class).getIfUnique();
	}

}
