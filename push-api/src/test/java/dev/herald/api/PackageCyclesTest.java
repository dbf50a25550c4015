package dev.herald.api;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** No cycle between the packages of push-api (checked on the compiled classes). */
class PackageCyclesTest {

    @Test
    void packagesAreFreeOfCycles() {
        slices().matching("dev.herald.api.(*)..").should().beFreeOfCycles().check(new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.herald.api"));
    }
}
