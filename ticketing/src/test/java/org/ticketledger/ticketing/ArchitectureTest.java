package org.ticketledger.ticketing;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SlicesRuleDefinition;
import org.junit.jupiter.api.Test;

/** Module rules: ticketing sees rails only through the SPI, and its domain API does not leak internals. */
class ArchitectureTest {

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.ticketledger.ticketing");

    @Test
    void dependsOnNoConcreteRail() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("org.ticketledger.alipay..", "org.ticketledger.huijinbao..")
                .check(MAIN);
    }

    @Test
    void domainApiDoesNotDependOnInternals() {
        noClasses().that().resideInAnyPackage("org.ticketledger.ticketing.party..", "org.ticketledger.ticketing.fee..",
                        "org.ticketledger.ticketing.pool..", "org.ticketledger.ticketing.inventory..",
                        "org.ticketledger.ticketing.order..", "org.ticketledger.ticketing.ticket..",
                        "org.ticketledger.ticketing.payout..", "org.ticketledger.ticketing.notify..",
                        "org.ticketledger.ticketing.reconcile..", "org.ticketledger.ticketing.jobs..",
                        "org.ticketledger.ticketing.combo..", "org.ticketledger.ticketing.wealth..",
                        "org.ticketledger.ticketing.report..", "org.ticketledger.ticketing.profit..",
                        "org.ticketledger.ticketing.codes..", "org.ticketledger.ticketing.device..")
                .should().dependOnClassesThat().resideInAPackage("org.ticketledger.ticketing.internal..")
                .check(MAIN);
    }

    @Test
    void writesNothingToStandardOutput() {
        noClasses().should().accessField(System.class, "out").orShould().accessField(System.class, "err").check(MAIN);
    }

    @Test
    void throwsNoGenericExceptions() {
        noClasses().that().doNotHaveFullyQualifiedName(TicketingException.class.getName())
                .should().callConstructor(RuntimeException.class, String.class)
                .orShould().callConstructor(Exception.class, String.class).check(MAIN);
    }

    @Test
    void hasNoCyclesBetweenDomainPackages() {
        SlicesRuleDefinition.slices().matching("org.ticketledger.ticketing.(party|fee|pool|inventory|jobs|reconcile|combo|wealth|report|profit)..")
                .should().beFreeOfCycles().check(MAIN);
    }
}
