package com.flashsale.coupon.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** docker-compose.yml agrees with the README's configuration table and with the embedded broker. */
class DockerComposeTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @SuppressWarnings("unchecked")
    private static Map<String, Object> service(String name) throws Exception {
        Map<String, Object> compose = new Yaml().load(Files.readString(ROOT.resolve("docker-compose.yml")));
        return (Map<String, Object>) ((Map<String, Object>) compose.get("services")).get(name);
    }

    /** The variables named in the first column of the README's configuration table. */
    private static Set<String> configurationTable() throws Exception {
        String readme = Files.readString(ROOT.resolve("README.md"));
        String section = readme.substring(readme.indexOf("## Configuration"));
        section = section.substring(0, section.indexOf("\n## ", 3));
        Set<String> variables = new LinkedHashSet<>();
        Matcher row = Pattern.compile("(?m)^\\| `([A-Z_]+)`(?: / `([A-Z_]+)`)?(?: / `([A-Z_]+)`)? \\|").matcher(section);
        while (row.find()) {
            for (int group = 1; group <= 3; group++) {
                if (row.group(group) != null) {
                    variables.add(row.group(group));
                }
            }
        }
        return variables;
    }

    @Test
    @SuppressWarnings("unchecked")
    void theServiceSetsEveryVariableOfTheConfigurationTable() throws Exception {
        Set<String> table = configurationTable();
        Map<String, Object> environment = (Map<String, Object>) service("coupon-service").get("environment");

        assertThat(table).contains("EVENT_DRIVEN_ENABLED", "KAFKA_BROKERS", "DB_HOST", "DB_PORT", "DB_NAME", "DB_USER",
                "DB_PASSWORD", "INSTANCE_ID", "PORT", "REQUEST_TIMEOUT");
        // the README's tables name the registry's variables, the service's and the launcher's alike
        assertThat(table).containsExactlyInAnyOrderElementsOf(java.util.Arrays.stream(Setting.values())
                .map(Setting::name).toList());
        assertThat(environment.keySet()).containsAll(table.stream()
                .filter(name -> Setting.valueOf(name).reader() == Setting.Reader.SERVICE).toList());
    }

    @Test
    @SuppressWarnings("unchecked")
    void theServicesSettings_areAllAllowedByTheRegistry() throws Exception {
        Map<String, String> environment = new java.util.HashMap<>();
        ((Map<String, Object>) service("coupon-service").get("environment")).forEach((name, value) ->
                environment.put(name, String.valueOf(value).replace("${ADMIN_TOKEN:-}", "")));

        assertThat(Settings.of(environment).problems(java.util.EnumSet.of(Setting.Reader.SERVICE))).isEmpty();
    }

    @Test
    @SuppressWarnings("unchecked")
    void kafkaIsTheEmbeddedBrokersVersion_inKraftMode_withRoomForTheLargestReply() throws Exception {
        String pom = Files.readString(ROOT.resolve("kafka-broker/pom.xml"));
        Matcher version = Pattern.compile("<kafka.version>([^<]+)</kafka.version>").matcher(pom);
        assertThat(version.find()).isTrue();
        Map<String, Object> kafka = service("kafka");
        Map<String, Object> environment = (Map<String, Object>) kafka.get("environment");

        assertThat(kafka.get("image")).isEqualTo("apache/kafka:" + version.group(1));
        assertThat(environment.get("KAFKA_PROCESS_ROLES")).isEqualTo("broker,controller");
        assertThat(environment).doesNotContainKey("KAFKA_ZOOKEEPER_CONNECT");
        assertThat(((Number) environment.get("KAFKA_MESSAGE_MAX_BYTES")).longValue()).isGreaterThanOrEqualTo(32L << 20);
        assertThat(service("postgres").get("image")).isEqualTo("postgres:16");
    }

    @Test
    void theTestsContainers_useTheImagesOfTheComposeFile() throws Exception {
        assertThat(service("postgres").get("image")).isEqualTo(TestInfrastructure.POSTGRES_IMAGE);
        assertThat(service("kafka").get("image")).isEqualTo(TestInfrastructure.KAFKA_IMAGE);
    }

    @Test
    @SuppressWarnings("unchecked")
    void theServiceWaitsForHealthyDependencies() throws Exception {
        Map<String, Object> dependsOn = (Map<String, Object>) service("coupon-service").get("depends_on");

        for (String dependency : new String[] {"postgres", "kafka"}) {
            assertThat(((Map<String, Object>) dependsOn.get(dependency)).get("condition")).isEqualTo("service_healthy");
        }
    }
}
