package dev.tally.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.tally.stack.LocalStack;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The OpenAPI documents checked in under {@code docs/openapi/} are what the running services serve
 * at {@code /q/openapi}, byte for byte: a change to an endpoint that is not also a change to the
 * checked-in contract fails here. To write the files from the running services instead of comparing
 * (after a deliberate change), run this test with {@code -Dtally.openapi.write=true}.
 */
class OpenApiDocumentsSystemTest {

    private static final String REGENERATE = "./mvnw -B -pl system-tests -am verify "
            + "-Dtest=OpenApiDocumentsSystemTest -Dsurefire.failIfNoSpecifiedTests=false -Dtally.openapi.write=true";

    private final LocalStack stack = SharedStack.get();
    private final Http http = new Http();

    @ParameterizedTest
    @ValueSource(strings = {"command-service", "query-service", "projection-service"})
    void the_checked_in_document_is_what_the_service_serves(String service) throws IOException {
        Http.Reply served = http.get(urlOf(service) + "/q/openapi");
        assertEquals(200, served.status(), served::toString);
        Path file = Path.of(System.getProperty("tally.repository.root", "..")).resolve("docs/openapi")
                .resolve(service + ".yaml");
        if (Boolean.getBoolean("tally.openapi.write")) {
            Files.createDirectories(file.getParent());
            Files.writeString(file, served.body());
            return;
        }
        if (!Files.exists(file)) {
            fail(file + " is missing; write it with: " + REGENERATE);
        }
        List<String> checkedIn = Files.readString(file).lines().toList();
        List<String> serving = served.body().lines().toList();
        for (int i = 0; i < Math.max(checkedIn.size(), serving.size()); i++) {
            String expected = i < checkedIn.size() ? checkedIn.get(i) : "(end of file)";
            String actual = i < serving.size() ? serving.get(i) : "(end of document)";
            if (!expected.equals(actual)) {
                fail("docs/openapi/" + service + ".yaml differs from what " + service + " serves at /q/openapi, "
                        + "first at line " + (i + 1) + ":\n  checked in: " + expected + "\n  served:     " + actual
                        + "\nIf the change is deliberate, regenerate the documents: " + REGENERATE);
            }
        }
    }

    private String urlOf(String service) {
        return switch (service) {
            case "command-service" -> stack.commandUrl();
            case "query-service" -> stack.queryUrl();
            case "projection-service" -> stack.projectionUrl();
            default -> throw new IllegalArgumentException(service);
        };
    }
}
