package se.servicepunkt;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The direction of dependencies (see the README's "Architecture"): the composition root (the
 * package {@code se.servicepunkt} itself) above the features; features above the HTTP toolkit
 * ({@code web}), the page toolkit ({@code page}) and the small core ({@code core}, {@code config},
 * {@code db}); no cycles between packages; a feature never uses another feature's routes; booking
 * does not know mail exists; live is a transport that knows no feature.
 */
class ArchitectureTest {
  private static final String ROOT = "se.servicepunkt";
  private static final String[] FEATURES = {
      ROOT + ".audit..", ROOT + ".auth..", ROOT + ".booking..", ROOT + ".demo..", ROOT + ".directory..", ROOT + ".live..",
      ROOT + ".mail..", ROOT + ".ops..", ROOT + ".queue..", ROOT + ".stats..", ROOT + ".video.."};
  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages(ROOT);
  }

  @Test
  void packagesHaveNoCycles() {
    slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(classes);
  }

  @Test
  void nothingBelowTheCompositionRootUsesIt() {
    noClasses().that().resideOutsideOfPackage(ROOT)
        .should().dependOnClassesThat().resideInAPackage(ROOT)
        .because("the composition root wires the features; nothing it wires may reach back to it")
        .check(classes);
  }

  @Test
  void theCoreDependsOnNoFeatureAndNoHttp() {
    noClasses().that().resideInAnyPackage(ROOT + ".core..", ROOT + ".config..", ROOT + ".db..")
        .should().dependOnClassesThat().resideInAnyPackage(FEATURES)
        .orShould().dependOnClassesThat().resideInAnyPackage(ROOT + ".web..", ROOT + ".page..", "io.vertx.ext.web..")
        .check(classes);
  }

  @Test
  void thePageToolkitDependsOnNoFeature() {
    noClasses().that().resideInAPackage(ROOT + ".page..")
        .should().dependOnClassesThat().resideInAnyPackage(FEATURES)
        .because("templates, words, languages, static files and forms serve every feature's pages alike")
        .check(classes);
  }

  @Test
  void theHttpToolkitDependsOnNoFeature() {
    noClasses().that().resideInAPackage(ROOT + ".web..")
        .should().dependOnClassesThat().resideInAnyPackage(FEATURES)
        .check(classes);
  }

  @Test
  void servicesAndRepositoriesKnowNoHttp() {
    noClasses().that().haveSimpleNameEndingWith("Service").or().haveSimpleNameEndingWith("Repository")
        .or().haveSimpleNameEndingWith("Queries")
        .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".web..", ROOT + ".page..", "io.vertx.ext.web..")
        .check(classes);
  }

  @Test
  void noFeatureUsesAnotherFeaturesRoutes() {
    noClasses().that().resideOutsideOfPackage(ROOT)
        .should(useRoutesOfAnotherPackage())
        .check(classes);
  }

  @Test
  void bookingDoesNotKnowMailExists() {
    noClasses().that().resideInAPackage(ROOT + ".booking..")
        .should().dependOnClassesThat().resideInAPackage(ROOT + ".mail..")
        .check(classes);
  }

  @Test
  void liveIsATransportThatKnowsNoFeature() {
    noClasses().that().resideInAPackage(ROOT + ".live..")
        .should().dependOnClassesThat().resideInAnyPackage(java.util.Arrays.stream(FEATURES)
            .filter(feature -> !feature.equals(ROOT + ".live..")).toArray(String[]::new))
        .check(classes);
  }

  /** Depends on a class named {@code …Routes} (or {@code …Pages}) of another package. */
  private static ArchCondition<JavaClass> useRoutesOfAnotherPackage() {
    return new ArchCondition<>("use the routes of another package") {
      @Override
      public void check(JavaClass item, ConditionEvents events) {
        for (Dependency dependency : item.getDirectDependenciesFromSelf()) {
          JavaClass target = dependency.getTargetClass();
          String name = target.getSimpleName();
          boolean routes = target.getPackageName().startsWith(ROOT) && (name.endsWith("Routes") || name.endsWith("Pages"));
          if (routes && !target.getPackageName().equals(item.getPackageName())) {
            events.add(SimpleConditionEvent.violated(dependency, dependency.getDescription()));
          }
        }
      }
    };
  }
}
