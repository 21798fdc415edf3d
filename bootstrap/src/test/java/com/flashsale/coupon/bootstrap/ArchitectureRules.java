package com.flashsale.coupon.bootstrap;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.CompositeArchRule;

/**
 * The module rules of the README's Architecture section as ArchUnit rules, parameterised by package so that the same rule
 * runs against production code and against a fixture built to break it. Rules fail on an empty
 * selection, so a misspelled package cannot make them pass.
 */
final class ArchitectureRules {

    private ArchitectureRules() {
    }

    /** The core packages use nothing but the JDK and each other. */
    static ArchRule coreDependsOnlyOnTheJdk(String... corePackages) {
        String[] allowed = new String[corePackages.length + 1];
        allowed[0] = "java..";
        for (int i = 0; i < corePackages.length; i++) {
            allowed[i + 1] = corePackages[i] + "..";
        }
        String[] core = new String[corePackages.length];
        for (int i = 0; i < corePackages.length; i++) {
            core[i] = corePackages[i] + "..";
        }
        return noClasses().that().resideInAnyPackage(core)
                .should().dependOnClassesThat().resideOutsideOfPackages(allowed)
                .because("the core must be embeddable by a service with no framework (README, Architecture)")
                .allowEmptyShould(false);
    }

    /** The domain knows nothing of the use cases built on it. */
    static ArchRule domainDoesNotDependOnApplication(String domainPackage, String applicationPackage) {
        return noClasses().that().resideInAPackage(domainPackage + "..")
                .should().dependOnClassesThat().resideInAPackage(applicationPackage + "..")
                .because("dependencies point inward")
                .allowEmptyShould(false);
    }

    /** No adapter uses another: each speaks only to the core's ports. */
    static ArchRule adaptersAreIndependent(String adapterRoot) {
        return slices().matching(adapterRoot + ".(*)..")
                .should().notDependOnEachOther()
                .because("adapters are pluggable: each depends on the core only")
                .allowEmptyShould(false);
    }

    /** Only bootstrap knows bootstrap. */
    static ArchRule nothingDependsOnBootstrap(String rootPackage, String bootstrapPackage) {
        return noClasses().that().resideInAPackage(rootPackage + "..")
                .and().resideOutsideOfPackage(bootstrapPackage + "..")
                .should().dependOnClassesThat().resideInAPackage(bootstrapPackage + "..")
                .allowEmptyShould(false);
    }

    /** Adapters speak to the domain's ports; the use cases behind them are bootstrap's to wire. */
    static ArchRule adaptersDoNotUseTheUseCases(String adapterRoot, String applicationPackage) {
        return noClasses().that().resideInAPackage(adapterRoot + "..")
                .should().dependOnClassesThat().resideInAPackage(applicationPackage + "..")
                .because("an adapter drives or serves the ports, so that the use cases can change behind them")
                .allowEmptyShould(false);
    }

    /** What the service offers its callers says nothing of what it needs from its stores. */
    static ArchRule inboundPortKnowsNothingOfOutboundPorts(String inboundPort, String outboundPort) {
        return noClasses().that().resideInAPackage(inboundPort + "..")
                .should().dependOnClassesThat().resideInAPackage(outboundPort + "..")
                .because("a driving adapter must be able to use port.in without seeing port.out")
                .allowEmptyShould(false);
    }

    /**
     * The Kafka adapter's two roles meet only in its wire package: the gateway never calls the
     * worker, nor the worker the gateway, and the wire's message shapes depend on neither. A
     * gateway and a worker may run in different processes; what they share is what travels.
     */
    static ArchRule transportRolesMeetOnlyInTheWire(String kafkaAdapter) {
        String gateway = kafkaAdapter + ".gateway..";
        String worker = kafkaAdapter + ".worker..";
        String wire = kafkaAdapter + ".wire..";
        return CompositeArchRule
                .of(noClasses().that().resideInAPackage(gateway)
                        .should().dependOnClassesThat().resideInAPackage(worker).allowEmptyShould(false))
                .and(noClasses().that().resideInAPackage(worker)
                        .should().dependOnClassesThat().resideInAPackage(gateway).allowEmptyShould(false))
                .and(noClasses().that().resideInAPackage(wire)
                        .should().dependOnClassesThat().resideInAnyPackage(gateway, worker).allowEmptyShould(false))
                .because("gateway and worker talk through Kafka, in the messages of the wire package");
    }
}
