package dev.tally.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tally.stack.KafkaServerProperties;
import dev.tally.stack.StartupFailedException;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** How -Dtally.infra / TALLY_INFRA picks the system tests' Kafka and PostgreSQL; no Docker engine needed. */
class InfrastructureKindTest {

    private static final BooleanSupplier NO_DOCKER = () -> false;
    private static final BooleanSupplier DOCKER = () -> true;

    @Test
    void nothingSetIsEmbeddedWithoutAskingDocker() {
        AtomicInteger asked = new AtomicInteger();
        assertEquals(InfrastructureKind.EMBEDDED, InfrastructureKind.select(null, null, () -> asked.incrementAndGet() > 0));
        assertEquals(InfrastructureKind.EMBEDDED, InfrastructureKind.select(" ", "", () -> asked.incrementAndGet() > 0));
        assertEquals(0, asked.get(), "the default must not depend on Docker");
    }

    @Test
    void embeddedIsEmbeddedEvenWithDocker() {
        assertEquals(InfrastructureKind.EMBEDDED, InfrastructureKind.select("embedded", null, DOCKER));
    }

    @Test
    void autoWithoutDockerIsEmbedded() {
        assertEquals(InfrastructureKind.EMBEDDED, InfrastructureKind.select("auto", null, NO_DOCKER));
    }

    @Test
    void autoWithDockerIsContainers() {
        assertEquals(InfrastructureKind.CONTAINERS, InfrastructureKind.select("auto", null, DOCKER));
    }

    @Test
    void containersWithDockerIsContainers() {
        assertEquals(InfrastructureKind.CONTAINERS, InfrastructureKind.select("Containers", null, DOCKER));
    }

    @Test
    void containersWithoutDockerFailsWithOneClearLine() {
        StartupFailedException e = assertThrows(StartupFailedException.class,
                () -> InfrastructureKind.select("containers", null, NO_DOCKER));
        assertTrue(e.getMessage().startsWith("tally.infra=containers needs a Docker engine"), e.getMessage());
        assertTrue(e.getMessage().contains("tally.infra=embedded or auto"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line");
    }

    @Test
    void theVariableCountsWhenThePropertyIsUnset() {
        assertEquals(InfrastructureKind.CONTAINERS, InfrastructureKind.select(null, "auto", DOCKER));
        assertThrows(StartupFailedException.class, () -> InfrastructureKind.select(null, "containers", NO_DOCKER));
    }

    @Test
    void thePropertyWinsOverTheVariable() {
        assertEquals(InfrastructureKind.EMBEDDED, InfrastructureKind.select("embedded", "containers", NO_DOCKER));
    }

    @Test
    void anUnknownValueIsRefusedNamingTheChoices() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> InfrastructureKind.select("docker", null, DOCKER));
        assertEquals("tally.infra (or TALLY_INFRA) must be embedded, containers or auto, got 'docker'", e.getMessage());
    }

    @Test
    void theFallbackImagesForARunOutsideMavenAreThePomsImages() {
        // Surefire sets both from the pom (the broker from ${kafka.version}); an IDE run falls back to the constants.
        String kafkaImage = System.getProperty(ContainerInfrastructure.KAFKA_IMAGE_PROPERTY);
        String postgresImage = System.getProperty(ContainerInfrastructure.POSTGRES_IMAGE_PROPERTY);
        assumeTrue(kafkaImage != null && postgresImage != null, "not run by Maven");
        assertEquals(kafkaImage, ContainerInfrastructure.DEFAULT_KAFKA_IMAGE);
        assertEquals(postgresImage, ContainerInfrastructure.DEFAULT_POSTGRES_IMAGE);
    }

    @Test
    void theBrokerContainerGetsTheEmbeddedBrokersSettingsInTheImagesNaming() {
        Map<String, String> env = ContainerInfrastructure.brokerEnvironment(KafkaServerProperties.singleNodeTuning());
        assertEquals("false", env.get("KAFKA_AUTO_CREATE_TOPICS_ENABLE"), "topics only from Topics.ALL, as embedded");
        assertEquals("1", env.get("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR"));
        assertEquals("1", env.get("KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR"));
        assertEquals(KafkaServerProperties.singleNodeTuning().size(), env.size());
        assertEquals(Map.of("KAFKA_A__B___C_D", "x"), ContainerInfrastructure.brokerEnvironment(Map.of("a_b-c.d", "x")));
    }
}
