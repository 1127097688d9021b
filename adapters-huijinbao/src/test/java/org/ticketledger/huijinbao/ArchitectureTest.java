package org.ticketledger.huijinbao;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import org.ticketledger.ledger.testing.ArchitectureRules;

/** The module rules of ARCHITECTURE.md, applied to the Huijinbao adapter and what it sees. */
@AnalyzeClasses(packages = "org.ticketledger", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule noCycles = ArchitectureRules.NO_CYCLES_BETWEEN_MODULES;
    @ArchTest
    static final ArchRule adaptersDoNotSeeTicketing = ArchitectureRules.ADAPTERS_DO_NOT_SEE_TICKETING;
    @ArchTest
    static final ArchRule adaptersDoNotTouchTheJournal = ArchitectureRules.ADAPTERS_DO_NOT_TOUCH_THE_JOURNAL;
    @ArchTest
    static final ArchRule internalDoesNotLeak = ArchitectureRules.INTERNAL_DOES_NOT_LEAK;
    @ArchTest
    static final ArchRule noSystemOut = ArchitectureRules.NO_SYSTEM_OUT_IN_LIBRARIES;
    @ArchTest
    static final ArchRule noGenericExceptions = ArchitectureRules.NO_GENERIC_EXCEPTIONS;
    @ArchTest
    static final ArchRule noJul = ArchitectureRules.NO_JUL;
    @ArchTest
    static final ArchRule noFloatingPointFields = ArchitectureRules.NO_FLOATING_POINT_FIELDS;
    @ArchTest
    static final ArchRule noFloatingPointReturns = ArchitectureRules.NO_FLOATING_POINT_RETURNS;
}
