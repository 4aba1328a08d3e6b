package dev.peergate.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The package rules of the architecture: the engine never imports Spring, JNA lives only in {@code *.jna}
 * packages, the XPC transport never touches Netty, and the core depends on nothing but the JDK.
 */
class PackageRulesTests {

	private static final JavaClasses PRODUCTION = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("dev.peergate");

	private static final String[] SPRING_PACKAGES = { "dev.peergate.autoconfigure..", "dev.peergate.event..",
			"dev.peergate.actuate.." };

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
			.resideInAnyPackage("dev.peergate.core", "dev.peergate.requirement..", "java..", "org.jspecify..",
					"tools.jackson..")
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
