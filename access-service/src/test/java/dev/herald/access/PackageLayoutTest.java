package dev.herald.access;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The package map of docs/architecture.md, checked on the compiled classes: no cycle between the node's packages,
 * the root (properties, application) and the leaves below everything ({@code session}, {@code write},
 * {@code batch}, {@code tls}) import no feature package, and the packages a push or a device's frame passes through
 * stay clear of Spring's web stack.
 */
class PackageLayoutTest {

    private static final String ROOT = "dev.herald.access";
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(ROOT);

    @Test
    void packagesAreFreeOfCycles() {
        slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void theRootPackageImportsNoFeaturePackage() {
        noClasses().that().resideInAPackage(ROOT)
                .should().dependOnClassesThat(resideInAPackage(ROOT + "..").and(not(resideInAPackage(ROOT))))
                .check(CLASSES);
    }

    @ParameterizedTest
    @ValueSource(strings = {"session", "write", "batch", "tls"})
    void leafPackagesImportNoSibling(String leaf) {
        noClasses().that().resideInAPackage(ROOT + "." + leaf + "..")
                .should().dependOnClassesThat(resideInAPackage(ROOT + "..")
                        .and(not(resideInAnyPackage(ROOT, ROOT + "." + leaf + ".."))))
                .check(CLASSES);
    }

    @Test
    void hotPathPackagesDoNotUseSpringWeb() {
        noClasses().that().resideInAnyPackage(ROOT + ".delivery..", ROOT + ".write..", ROOT + ".session..",
                        ROOT + ".nativeprotocol..", ROOT + ".mqtt..", ROOT + ".server..")
                .should().dependOnClassesThat().resideInAPackage("org.springframework.web..")
                .check(CLASSES);
    }
}
