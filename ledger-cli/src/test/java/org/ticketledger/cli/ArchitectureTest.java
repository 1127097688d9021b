package org.ticketledger.cli;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import org.ticketledger.ledger.testing.ArchitectureRules;

/** The module rules, held for the CLI's own classes (it may print; it may not do the rest). */
@AnalyzeClasses(packages = "org.ticketledger.cli", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule noCycles = ArchitectureRules.NO_CYCLES_BETWEEN_MODULES;
    @ArchTest
    static final ArchRule internalDoesNotLeak = ArchitectureRules.INTERNAL_DOES_NOT_LEAK;
    @ArchTest
    static final ArchRule noGenericExceptions = ArchitectureRules.NO_GENERIC_EXCEPTIONS;
    @ArchTest
    static final ArchRule noJul = ArchitectureRules.NO_JUL;
    @ArchTest
    static final ArchRule noFloatingPointFields = ArchitectureRules.NO_FLOATING_POINT_FIELDS;
    @ArchTest
    static final ArchRule noFloatingPointReturns = ArchitectureRules.NO_FLOATING_POINT_RETURNS;
}
