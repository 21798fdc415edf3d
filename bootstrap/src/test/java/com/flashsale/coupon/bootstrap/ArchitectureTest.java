package com.flashsale.coupon.bootstrap;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ArchitectureTest {

    private static final String ROOT = "com.flashsale.coupon";
    private static final JavaClasses PRODUCTION = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(ROOT);

    @Test
    void theCoreDependsOnlyOnTheJdk() {
        ArchitectureRules.coreDependsOnlyOnTheJdk(ROOT + ".domain", ROOT + ".application").check(PRODUCTION);
    }

    @Test
    void theDomainDoesNotDependOnTheApplication() {
        ArchitectureRules.domainDoesNotDependOnApplication(ROOT + ".domain", ROOT + ".application").check(PRODUCTION);
    }

    @Test
    void adaptersDoNotDependOnEachOther() {
        ArchitectureRules.adaptersAreIndependent(ROOT + ".adapter").check(PRODUCTION);
    }

    @Test
    void nothingButBootstrapDependsOnBootstrap() {
        ArchitectureRules.nothingDependsOnBootstrap(ROOT, ROOT + ".bootstrap").check(PRODUCTION);
    }

    @Test
    void adaptersDoNotUseTheUseCases() {
        ArchitectureRules.adaptersDoNotUseTheUseCases(ROOT + ".adapter", ROOT + ".application").check(PRODUCTION);
    }

    @Test
    void theInboundPortKnowsNothingOfTheOutboundPort() {
        ArchitectureRules.inboundPortKnowsNothingOfOutboundPorts(ROOT + ".domain.port.in", ROOT + ".domain.port.out")
                .check(PRODUCTION);
    }

    @Test
    void theKafkaGatewayAndWorkerMeetOnlyInTheWire() {
        ArchitectureRules.transportRolesMeetOnlyInTheWire(ROOT + ".adapter.kafka").check(PRODUCTION);
    }

    /** Each rule, run against classes written to break it, must fail: a rule never seen failing checks nothing. */
    @Nested
    class AgainstViolatingFixtures {

        private static final String FIXTURE = "com.flashsale.archfixture";
        private final JavaClasses fixture = new ClassFileImporter().importPackages(FIXTURE);

        @Test
        void aCoreClassUsingTheFrameworkBreaksTheCoreRule() {
            assertThatThrownBy(() -> ArchitectureRules
                    .coreDependsOnlyOnTheJdk(FIXTURE + ".domain", FIXTURE + ".application").check(fixture))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("FrameworkBoundValue");
        }

        @Test
        void aDomainClassUsingTheApplicationBreaksTheInwardRule() {
            assertThatThrownBy(() -> ArchitectureRules
                    .domainDoesNotDependOnApplication(FIXTURE + ".domain", FIXTURE + ".application").check(fixture))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("OutwardLookingValue");
        }

        @Test
        void anAdapterCallingAnotherBreaksTheAdapterRule() {
            assertThatThrownBy(() -> ArchitectureRules.adaptersAreIndependent(FIXTURE + ".adapter").check(fixture))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("ChattyController");
        }

        @Test
        void anAdapterUsingBootstrapBreaksTheBootstrapRule() {
            assertThatThrownBy(() -> ArchitectureRules
                    .nothingDependsOnBootstrap(FIXTURE, FIXTURE + ".bootstrap").check(fixture))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("ChattyController");
        }

        @Test
        void anAdapterCallingTheUseCasesBreaksThePortRule() {
            assertThatThrownBy(() -> ArchitectureRules
                    .adaptersDoNotUseTheUseCases(FIXTURE + ".adapter", FIXTURE + ".application").check(fixture))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("UseCaseCallingListener");
        }

        @Test
        void anInboundPortExposingAnOutboundOneBreaksThePortRule() {
            assertThatThrownBy(() -> ArchitectureRules.inboundPortKnowsNothingOfOutboundPorts(
                    FIXTURE + ".domain.port.in", FIXTURE + ".domain.port.out").check(fixture))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("LeakyPort");
        }

        @Test
        void aGatewayCallingTheWorkerBreaksTheTransportRule() {
            assertThatThrownBy(() -> ArchitectureRules
                    .transportRolesMeetOnlyInTheWire(FIXTURE + ".adapter.kafka").check(fixture))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("ShortcutGateway");
        }

        @Test
        void aRuleNamingAPackageThatDoesNotExistFails() {
            assertThatThrownBy(() -> ArchitectureRules
                    .coreDependsOnlyOnTheJdk(FIXTURE + ".no_such_package").check(fixture))
                    .isInstanceOf(AssertionError.class);
        }
    }
}
