package dev.peergate.architecture;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import dev.peergate.core.FactNames;
import dev.peergate.handler.IpcFileDescriptor;
import org.jspecify.annotations.NullMarked;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The package rules of the architecture (the package table of the design): the engine never imports Spring, JNA
 * lives only in {@code *.jna} packages and each binding serves only its own transport, the transports do not know
 * each other, the XPC transport never touches Netty, the core depends on nothing but the JDK, and every package is
 * {@code @NullMarked}.
 */
class PackageRulesTests {

	private static final JavaClasses PRODUCTION = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("dev.peergate");

	private static final String[] SPRING_PACKAGES = { "dev.peergate.autoconfigure..", "dev.peergate.event..",
			"dev.peergate.actuate..", "dev.peergate.security..", "dev.peergate.test.." };

	@Test
	void onlyTheSpringPackagesImportSpring() {
		noClasses().that()
			.resideOutsideOfPackages(SPRING_PACKAGES)
			.should()
			.dependOnClassesThat()
			.resideInAPackage("org.springframework..")
			.because("the engine must run without Spring")
			.check(PRODUCTION);
	}

	@Test
	void springSecurityBridgeUsesOnlyCoreHandlerAndSpringSecurity() {
		classes().that()
			.resideInAPackage("dev.peergate.security")
			.should()
			.onlyDependOnClassesThat(outsidePeergateOrIn("dev.peergate.core", "dev.peergate.handler",
					"dev.peergate.security"))
			.because("method security sees the handler model, not a transport")
			.check(PRODUCTION);
	}

	@Test
	void polkitUsesOnlyCoreHandlerAndDbusJava() {
		classes().that()
			.resideInAPackage("dev.peergate.polkit")
			.should()
			.onlyDependOnClassesThat(outsidePeergateOrIn("dev.peergate.core", "dev.peergate.handler",
					"dev.peergate.polkit"))
			.because("polkit decides about calls, whatever transport carried them")
			.check(PRODUCTION);
	}

	@Test
	void testSupportCallsThroughTheInProcessTransportAndTheSpringIntegration() {
		classes().that()
			.resideInAPackage("dev.peergate.test")
			.should()
			.onlyDependOnClassesThat(outsidePeergateOrIn("dev.peergate.core", "dev.peergate.handler",
					"dev.peergate.inprocess", "dev.peergate.requirement..", "dev.peergate.autoconfigure",
					"dev.peergate.test"))
			.because("a test calls handlers as a stated peer through the in-process transport, never a socket")
			.check(PRODUCTION);
	}

	@Test
	void onlyJnaPackagesUseJna() {
		noClasses().that()
			.resideOutsideOfPackage("..jna")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("com.sun.jna..")
			.because("native bindings stay in *.jna packages")
			.check(PRODUCTION);
	}

	@Test
	void xpcTransportDoesNotUseNetty() {
		noClasses().that()
			.resideInAPackage("dev.peergate.xpc..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("io.netty..")
			.check(PRODUCTION);
	}

	@Test
	void coreDependsOnlyOnTheJdk() {
		classes().that()
			.resideInAPackage("dev.peergate.core")
			.should()
			.onlyDependOnClassesThat()
			.resideInAnyPackage("dev.peergate.core", "java..", "org.jspecify..")
			.check(PRODUCTION);
	}

	@Test
	void requirementLanguagesDependOnlyOnCore() {
		classes().that()
			.resideInAPackage("dev.peergate.requirement..")
			.should()
			.onlyDependOnClassesThat()
			.resideInAnyPackage("dev.peergate.core", "dev.peergate.requirement..", "java..", "org.jspecify..")
			.check(PRODUCTION);
	}

	@Test
	void engineDoesNotDependOnTransports() {
		noClasses().that()
			.resideInAnyPackage("dev.peergate.core..", "dev.peergate.handler..", "dev.peergate.requirement..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("dev.peergate.unix..", "dev.peergate.xpc..", "dev.peergate.inprocess..",
					"dev.peergate.varlink..", "dev.peergate.client..", "io.netty..")
			.check(PRODUCTION);
	}

	@Test
	void handlerModelDependsOnlyOnCoreAndJackson() {
		classes().that()
			.resideInAPackage("dev.peergate.handler")
			.should()
			.onlyDependOnClassesThat()
			.resideInAnyPackage("dev.peergate.core", "dev.peergate.handler", "java..", "org.jspecify..",
					"tools.jackson..", "com.fasterxml.jackson.annotation..")
			.because("the handler model is shared by every transport and knows no wire format")
			.check(PRODUCTION);
	}

	@Test
	void varlinkProtocolDependsOnlyOnCoreAndHandlerModel() {
		classes().that()
			.resideInAPackage("dev.peergate.varlink")
			.should()
			.onlyDependOnClassesThat()
			.resideInAnyPackage("dev.peergate.core", "dev.peergate.handler", "dev.peergate.varlink", "java..",
					"org.jspecify..", "tools.jackson..", "com.fasterxml.jackson.annotation..")
			.because("the protocol is shared by the server and the client and knows no socket")
			.check(PRODUCTION);
	}

	@Test
	void inProcessTransportDependsOnlyOnCoreAndHandlerModel() {
		classes().that()
			.resideInAPackage("dev.peergate.inprocess")
			.should()
			.onlyDependOnClassesThat()
			.resideInAnyPackage("dev.peergate.core", "dev.peergate.handler", "dev.peergate.inprocess", "java..",
					"org.jspecify..")
			.because("the in-process transport runs handlers and requirements without sockets or natives")
			.check(PRODUCTION);
	}

	@Test
	void observationDependsOnlyOnCoreHandlerModelAndMicrometer() {
		classes().that()
			.resideInAPackage("dev.peergate.observation")
			.should()
			.onlyDependOnClassesThat()
			.resideInAnyPackage("dev.peergate.core", "dev.peergate.handler", "dev.peergate.observation",
					"io.micrometer..", "java..", "org.jspecify..")
			.check(PRODUCTION);
	}

	@Test
	void unixTransportUsesOnlyCoreHandlerRequirementAndVarlink() {
		classes().that()
			.resideInAPackage("dev.peergate.unix..")
			.should()
			.onlyDependOnClassesThat(outsidePeergateOrIn("dev.peergate.core", "dev.peergate.handler",
					"dev.peergate.requirement..", "dev.peergate.varlink", "dev.peergate.unix.."))
			.because("transports do not know each other (no xpc, no in-process) nor the Spring integration")
			.check(PRODUCTION);
	}

	@Test
	void xpcTransportUsesOnlyCoreHandlerAndRequirement() {
		classes().that()
			.resideInAPackage("dev.peergate.xpc..")
			.should()
			.onlyDependOnClassesThat(outsidePeergateOrIn("dev.peergate.core", "dev.peergate.handler",
					"dev.peergate.requirement..", "dev.peergate.xpc.."))
			.because("XPC carries its own message format (no varlink) and transports do not know each other")
			.check(PRODUCTION);
	}

	@Test
	void linuxPeerIdentificationKnowsNothingOfTheListener() {
		noClasses().that()
			.resideInAPackage("dev.peergate.unix.peer")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("dev.peergate.unix", "dev.peergate.handler..", "dev.peergate.varlink..",
					"dev.peergate.requirement..")
			.because("who a peer is does not depend on how its calls are served or which requirement reads it")
			.check(PRODUCTION);
	}

	@Test
	void descriptorPassingKnowsOnlyTheHandlerModelAndLibc() {
		classes().that()
			.resideInAPackage("dev.peergate.unix.descriptor")
			.should()
			.onlyDependOnClassesThat(outsidePeergateOrIn("dev.peergate.core", "dev.peergate.handler",
					"dev.peergate.unix.descriptor", "dev.peergate.unix.jna"))
			.because("the listener and the client share it: it moves bytes and descriptors, nothing of varlink or verdicts")
			.check(PRODUCTION);
	}

	@Test
	void unixBindingsAreUsedOnlyByTheUnixTransport() {
		classes().that()
			.resideInAPackage("dev.peergate.unix.jna")
			.should()
			.onlyHaveDependentClassesThat()
			.resideInAPackage("dev.peergate.unix..")
			.check(PRODUCTION);
	}

	@Test
	void systemdNotificationsKnowOnlyTheListenerSpi() {
		classes().that()
			.resideInAPackage("dev.peergate.systemd")
			.should()
			.onlyDependOnClassesThat(outsidePeergateOrIn("dev.peergate.core", "dev.peergate.systemd.."))
			.because("readiness and the watchdog read listener states, whatever the transport")
			.check(PRODUCTION);
	}

	@Test
	void systemdBindingsAreUsedOnlyByTheSystemdNotifications() {
		classes().that()
			.resideInAPackage("dev.peergate.systemd.jna")
			.should()
			.onlyHaveDependentClassesThat()
			.resideInAPackage("dev.peergate.systemd..")
			.check(PRODUCTION);
	}

	@Test
	void systemdBindingsDependOnlyOnJnaAndTheJdk() {
		classes().that()
			.resideInAPackage("dev.peergate.systemd.jna")
			.should()
			.onlyDependOnClassesThat()
			.resideInAnyPackage("dev.peergate.systemd.jna", "com.sun.jna..", "java..", "javax..", "org.jspecify..")
			.check(PRODUCTION);
	}

	@Test
	void xpcBindingsAreUsedOnlyByTheXpcTransportAndTheClient() {
		classes().that()
			.resideInAPackage("dev.peergate.xpc.jna")
			.should()
			.onlyHaveDependentClassesThat()
			.resideInAnyPackage("dev.peergate.xpc..", "dev.peergate.client")
			.check(PRODUCTION);
	}

	@Test
	void unixBindingsDependOnlyOnJnaAndTheJdk() {
		classes().that()
			.resideInAPackage("dev.peergate.unix.jna")
			.should()
			.onlyDependOnClassesThat()
			.resideInAnyPackage("dev.peergate.unix.jna", "com.sun.jna..", "java..", "javax..", "org.jspecify..")
			.check(PRODUCTION);
	}

	@Test
	void xpcBindingsDependOnlyOnJnaAndTheJdk() {
		classes().that()
			.resideInAPackage("dev.peergate.xpc.jna")
			.should()
			.onlyDependOnClassesThat()
			.resideInAnyPackage("dev.peergate.xpc.jna", "com.sun.jna..", "java..", "javax..", "org.jspecify..")
			.orShould()
			.dependOnClassesThat()
			// the fact vocabulary: signing facts are named as requirements read them; the handler model's descriptor
			// is the Java side of an xpc_fd value
			.belongToAnyOf(FactNames.class, IpcFileDescriptor.class)
			.check(PRODUCTION);
	}

	@Test
	void onlyTheSpringPackagesUseTheSpringPackages() {
		noClasses().that()
			.resideOutsideOfPackages(SPRING_PACKAGES)
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage(SPRING_PACKAGES)
			.because("dependencies point from the Spring integration to the engine, never back")
			.check(PRODUCTION);
	}

	@Test
	void everyPackageIsNullMarked() {
		classes().that()
			.resideInAPackage("dev.peergate..")
			.should(beInANullMarkedPackage())
			.because("every package declares @NullMarked in its package-info")
			.check(PRODUCTION);
	}

	/** Classes outside Peergate (JDK, libraries; other rules govern those) or in one of the given packages. */
	private static DescribedPredicate<JavaClass> outsidePeergateOrIn(String... packages) {
		return JavaClass.Predicates.resideOutsideOfPackage("dev.peergate..")
			.or(JavaClass.Predicates.resideInAnyPackage(packages));
	}

	private static ArchCondition<JavaClass> beInANullMarkedPackage() {
		return new ArchCondition<>("reside in a package annotated with @NullMarked") {

			@Override
			public void check(JavaClass javaClass, ConditionEvents events) {
				boolean nullMarked = javaClass.getPackage().isAnnotatedWith(NullMarked.class);
				String message = javaClass.getPackageName() + " (of " + javaClass.getName() + ") "
						+ (nullMarked ? "is" : "is not") + " annotated with @NullMarked";
				events.add(new SimpleConditionEvent(javaClass, nullMarked, message));
			}

		};
	}

	@Test
	void autoConfigurationsArePublicFinal() {
		classes().that()
			.areAnnotatedWith("org.springframework.boot.autoconfigure.AutoConfiguration")
			.should()
			.bePublic()
			.andShould()
			.haveModifier(com.tngtech.archunit.core.domain.JavaModifier.FINAL)
			.check(PRODUCTION);
	}

}
