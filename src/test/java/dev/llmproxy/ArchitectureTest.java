package dev.llmproxy;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackages;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package rules of docs/architecture.md, checked on the compiled main classes: capability packages form no
 * cycle, the plumbing ({@code persistence}, {@code config}) and the root package know no capability, and only the
 * container (web.xml) knows the composition root.
 */
class ArchitectureTest {
    private static JavaClasses main;

    @BeforeAll
    static void importMainClasses() {
        main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.llmproxy");
    }

    @Test
    void packagesFormNoCycle() {
        slices().matching("dev.llmproxy.(*)..").should().beFreeOfCycles().check(main);
    }

    @Test
    void plumbingDependsOnNoCapability() {
        noClasses().that().resideInAnyPackage("dev.llmproxy.persistence..", "dev.llmproxy.config..")
                .should().dependOnClassesThat(resideInAPackage("dev.llmproxy..").and(resideOutsideOfPackages(
                        "dev.llmproxy", "dev.llmproxy.persistence..", "dev.llmproxy.config..")))
                .check(main);
    }

    @Test
    void rootPackageDependsOnNoSubPackage() {
        noClasses().that().resideInAPackage("dev.llmproxy")
                .should().dependOnClassesThat().resideInAPackage("dev.llmproxy.*..").check(main);
    }

    /** Jackson's default buffer recycling keeps thread-locals that pin the WAR after an undeploy (see JsonFactories). */
    @Test
    void everyJsonFactoryComesFromJsonFactories() {
        noClasses().that().doNotHaveFullyQualifiedName(JsonFactories.class.getName())
                .should().callConstructor(com.fasterxml.jackson.databind.ObjectMapper.class)
                .orShould().callConstructor(com.fasterxml.jackson.core.JsonFactory.class)
                .orShould().callMethod(com.fasterxml.jackson.databind.json.JsonMapper.class, "builder")
                .orShould().callMethod(com.fasterxml.jackson.core.JsonFactory.class, "builder")
                .check(main);
    }

    /**
     * A thread started the usual way can carry an earlier deployment, and Jetty's and the JDK's pools start theirs
     * on whatever thread needs one (see ApplicationThreads): every thread of the application comes from there.
     */
    @Test
    void everyThreadComesFromApplicationThreads() {
        noClasses().that().doNotHaveFullyQualifiedName(ApplicationThreads.class.getName())
                .should().callConstructorWhere(com.tngtech.archunit.core.domain.JavaCall.Predicates.target(
                        com.tngtech.archunit.core.domain.properties.HasOwner.Predicates.With.owner(
                                com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo(Thread.class))))
                .orShould().callMethod(java.util.concurrent.Executors.class, "newScheduledThreadPool", int.class)
                .orShould().callMethod(java.util.concurrent.Executors.class, "newFixedThreadPool", int.class)
                .orShould().callMethod(java.util.concurrent.Executors.class, "newCachedThreadPool")
                .orShould().callMethod(java.util.concurrent.Executors.class, "newSingleThreadExecutor")
                .orShould().callConstructor(org.eclipse.jetty.util.thread.QueuedThreadPool.class, int.class, int.class)
                .orShould().callConstructor(org.eclipse.jetty.util.thread.QueuedThreadPool.class)
                .orShould().callConstructor(org.eclipse.jetty.util.thread.ScheduledExecutorScheduler.class)
                .check(main);
    }

    @Test
    void onlyTheContainerKnowsTheCompositionRoot() {
        noClasses().that().resideOutsideOfPackage("dev.llmproxy.app..")
                .should().dependOnClassesThat().resideInAPackage("dev.llmproxy.app..").check(main);
    }
}
