package org.ticketledger.ledger.testing;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noFields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noMethods;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.GeneralCodingRules;

/**
 * The module rules of ARCHITECTURE.md as ArchUnit rules. Each module's ArchitectureTest applies them
 * to the classes it can see; the host app, which sees every module, applies all of them at once.
 */
public final class ArchitectureRules {

    private ArchitectureRules() {
    }

    /** Module slices (ledger, payment, alipay, huijinbao, ticketing, verify, cli, example) form no cycle. */
    public static final ArchRule NO_CYCLES_BETWEEN_MODULES = slices()
            .matching("org.ticketledger.(*)..")
            .should().beFreeOfCycles();

    /** The ledger records; it never sees how money moves outside it. */
    public static final ArchRule LEDGER_DOES_NOT_SEE_PAYMENTS = noClasses()
            .that().resideInAPackage("org.ticketledger.ledger..")
            .should().dependOnClassesThat().resideInAnyPackage("org.ticketledger.payment..", "org.ticketledger.ticketing..",
                    "org.ticketledger.alipay..", "org.ticketledger.huijinbao..")
            .as("the ledger depends on no payment, rail or ticketing code");

    /** Rails depend on the SPI, never on ticketing or on each other. */
    public static final ArchRule ADAPTERS_DO_NOT_SEE_TICKETING = noClasses()
            .that().resideInAnyPackage("org.ticketledger.alipay..", "org.ticketledger.huijinbao..")
            .should().dependOnClassesThat().resideInAnyPackage("org.ticketledger.ticketing..", "org.ticketledger.example..",
                    "org.ticketledger.cli..")
            .as("adapters depend only on the payment SPI");

    /** The rails do not write ledger entries: ticketing decides, the ledger records, rails move money. */
    public static final ArchRule ADAPTERS_DO_NOT_TOUCH_THE_JOURNAL = noClasses()
            .that().resideInAnyPackage("org.ticketledger.alipay..", "org.ticketledger.huijinbao..")
            .should().dependOnClassesThat().resideInAnyPackage("org.ticketledger.ledger.postgres..", "org.ticketledger.ledger.internal..")
            .orShould().dependOnClassesThat().haveFullyQualifiedName("org.ticketledger.ledger.Journal")
            .as("adapters never touch the journal");

    /** The device SDK depends on nothing of ours: vendors link it alone. */
    public static final ArchRule SDK_IS_SELF_CONTAINED = noClasses()
            .that().resideInAPackage("org.ticketledger.verify..")
            .should().dependOnClassesThat().resideInAnyPackage("org.ticketledger.ledger..", "org.ticketledger.payment..",
                    "org.ticketledger.ticketing..", "org.ticketledger.alipay..", "org.ticketledger.huijinbao..",
                    "org.ticketledger.cli..", "org.ticketledger.example..")
            .allowEmptyShould(true)
            .as("the device SDK depends on nothing of ours");

    /** {@code internal} packages are not API: nothing outside a module's own packages uses them. */
    public static final ArchRule INTERNAL_DOES_NOT_LEAK = noClasses()
            .should(new com.tngtech.archunit.lang.ArchCondition<JavaClass>("use another module's internal package") {
                @Override
                public void check(JavaClass item, com.tngtech.archunit.lang.ConditionEvents events) {
                    String own = module(item.getPackageName());
                    item.getDirectDependenciesFromSelf().forEach(d -> {
                        String target = d.getTargetClass().getPackageName();
                        if (target.contains(".internal") && target.startsWith("org.ticketledger.") && !module(target).equals(own)) {
                            events.add(com.tngtech.archunit.lang.SimpleConditionEvent.violated(d, d.getDescription()));
                        }
                    });
                }
            });

    /** Libraries log through SLF4J; only launchers and the CLI print. */
    public static final ArchRule NO_SYSTEM_OUT_IN_LIBRARIES = noClasses()
            .that(new DescribedPredicate<JavaClass>("are library classes (not a CLI, launcher, benchmark or sandbox main)") {
                @Override
                public boolean test(JavaClass c) {
                    String n = c.getName();
                    return !n.startsWith("org.ticketledger.cli.") && !n.startsWith("org.ticketledger.bench.")
                            && !n.startsWith("org.ticketledger.example.") && !n.endsWith("Main") && !n.contains("Main$")
                            && !n.endsWith("Demo") && !n.contains("Demo$");
                }
            })
            .should(GeneralCodingRules.ACCESS_STANDARD_STREAMS);

    /** Exceptions say what failed: no {@code throw new Exception/RuntimeException/Throwable}. */
    public static final ArchRule NO_GENERIC_EXCEPTIONS = GeneralCodingRules.NO_CLASSES_SHOULD_THROW_GENERIC_EXCEPTIONS;

    /** No java.util.logging: libraries log through SLF4J. */
    public static final ArchRule NO_JUL = GeneralCodingRules.NO_CLASSES_SHOULD_USE_JAVA_UTIL_LOGGING;

    /** Money is long minor units: no floating-point field or method signature anywhere. */
    public static final ArchRule NO_FLOATING_POINT_FIELDS = noFields()
            .that().areDeclaredInClassesThat().resideInAPackage("org.ticketledger..")
            .and().areDeclaredInClassesThat().resideOutsideOfPackage("org.ticketledger.bench..")
            .should().haveRawType(double.class).orShould().haveRawType(float.class)
            .orShould().haveRawType(Double.class).orShould().haveRawType(Float.class)
            .as("no floating-point fields outside benchmarks (money is long minor units)");

    public static final ArchRule NO_FLOATING_POINT_RETURNS = noMethods()
            .that().areDeclaredInClassesThat().resideInAPackage("org.ticketledger..")
            .and().areDeclaredInClassesThat().resideOutsideOfPackage("org.ticketledger.bench..")
            .should().haveRawReturnType(double.class).orShould().haveRawReturnType(float.class)
            .as("no floating-point return values outside benchmarks");

    static String module(String pkg) {
        String rest = pkg.substring("org.ticketledger.".length());
        int dot = rest.indexOf('.');
        return dot < 0 ? rest : rest.substring(0, dot);
    }
}
