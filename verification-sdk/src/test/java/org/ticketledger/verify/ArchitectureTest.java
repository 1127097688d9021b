package org.ticketledger.verify;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.lang.syntax.ArchRuleDefinition;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Module rules of the device SDK. Note: api, spi and internal reference each other (SPI factories
 * return internal implementations, internal code maps API values); the three packages form one
 * unit split only for visibility, so package cycles inside the module are accepted.
 */
class ArchitectureTest {

    private static final JavaClasses SDK = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.ticketledger.verify");

    /** Packages of java.base and java.logging, read from the running JDK's module graph. */
    private static final Set<String> ALLOWED_JDK_PACKAGES = new HashSet<>();

    static {
        for (String module : List.of("java.base", "java.logging")) {
            ALLOWED_JDK_PACKAGES.addAll(ModuleLayer.boot().findModule(module).orElseThrow().getPackages());
        }
    }

    private static final DescribedPredicate<JavaClass> OUTSIDE_BASE_AND_LOGGING =
            new DescribedPredicate<>("outside java.base, java.logging and the SDK itself") {
                @Override
                public boolean test(JavaClass c) {
                    JavaClass base = c;
                    while (base.isArray()) {
                        base = base.getComponentType();
                    }
                    if (base.isPrimitive()) {
                        return false;
                    }
                    String pkg = base.getPackageName();
                    return !pkg.startsWith("org.ticketledger.verify") && !ALLOWED_JDK_PACKAGES.contains(pkg);
                }
            };

    @Test
    void referencesNothingOutsideJavaBaseAndJavaLogging() {
        noClasses().should().dependOnClassesThat(OUTSIDE_BASE_AND_LOGGING)
                .because("the SDK must run on Android and minimal JREs with no dependencies")
                .check(SDK);
    }

    @Test
    void avoidsJdkApisThatAndroidLacks() {
        noClasses().should().dependOnClassesThat().haveFullyQualifiedName("java.lang.System$Logger")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.lang.StackWalker")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.lang.ProcessHandle")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.lang.ref.Cleaner")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.lang.invoke.VarHandle")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.util.zip.CRC32C")
                .orShould().dependOnClassesThat().resideInAPackage("java.net.http..")
                .because("Android does not provide them (or only on recent API levels)")
                .check(SDK);
    }

    @Test
    void callsNoJava9To11MethodsMissingOnOlderAndroid() {
        noClasses().should().callMethod(String.class, "isBlank")
                .orShould().callMethod(String.class, "strip")
                .orShould().callMethod(String.class, "repeat", int.class)
                .orShould().callMethod(String.class, "lines")
                .orShould().callMethod(java.util.Optional.class, "isEmpty")
                .orShould().callMethod(java.util.Optional.class, "orElseThrow")
                .orShould().callMethod(java.util.Optional.class, "stream")
                .orShould().callMethod(java.io.InputStream.class, "readAllBytes")
                .orShould().callMethod(java.io.InputStream.class, "transferTo", java.io.OutputStream.class)
                .because("these instance methods only exist from Android API 33 (static ones D8 backports)")
                .check(SDK);
    }

    @Test
    void writesNothingToStandardStreams() {
        noClasses().should().accessField(System.class, "out").orShould().accessField(System.class, "err")
                .orShould().callMethod(Throwable.class, "printStackTrace")
                .because("a library logs through java.util.logging")
                .check(SDK);
    }

    @Test
    void internalTypesDoNotLeakIntoApiOrSpiSignatures() {
        ArchRuleDefinition.classes().that().resideInAnyPackage("org.ticketledger.verify", "org.ticketledger.verify.spi")
                .and().arePublic()
                .should(new ArchCondition<>("expose no org.ticketledger.verify.internal types in public members") {
                    @Override
                    public void check(JavaClass c, ConditionEvents events) {
                        List<JavaClass> exposed = new ArrayList<>();
                        for (JavaCodeUnit u : c.getCodeUnits()) {
                            if (u.getModifiers().contains(JavaModifier.PUBLIC)) {
                                exposed.add(u.getRawReturnType());
                                exposed.addAll(u.getRawParameterTypes());
                            }
                        }
                        for (JavaField f : c.getFields()) {
                            if (f.getModifiers().contains(JavaModifier.PUBLIC)) {
                                exposed.add(f.getRawType());
                            }
                        }
                        for (JavaClass t : exposed) {
                            if (t.getPackageName().equals("org.ticketledger.verify.internal")) {
                                events.add(SimpleConditionEvent.violated(c, c.getName() + " exposes " + t.getName()));
                            }
                        }
                    }
                })
                .check(SDK);
    }

    @Test
    void throwsNoGenericExceptions() {
        noClasses().that().areNotAssignableTo(VerifierException.class)
                .should().callConstructor(RuntimeException.class, String.class)
                .orShould().callConstructor(Exception.class, String.class)
                .orShould().callConstructor(RuntimeException.class, String.class, Throwable.class)
                .because("failures are VerifierException subclasses or standard argument/state exceptions")
                .check(SDK);
    }
}
