package dev.tally.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The checked-in OpenAPI documents ({@code docs/openapi/}) pass Redocly's recommended rules with no
 * error, so that a client generator can use them: the linter is {@code @redocly/cli} at the exact
 * version pinned in {@code tools/openapi-lint/package.json} (installed with {@code npm ci} from its
 * lock file when missing). Needs no running stack; needs {@code node} and {@code npm} on the PATH,
 * and is skipped, saying so, without them.
 */
class OpenApiLintTest {

    private static final Path ROOT = Path.of(System.getProperty("tally.repository.root", "..")).toAbsolutePath()
            .normalize();
    private static final Path TOOL = ROOT.resolve("tools/openapi-lint");
    private static final List<String> DOCUMENTS = List.of("command-service", "query-service", "projection-service");

    @BeforeAll
    static void installTheLinter() throws Exception {
        assumeTrue(runs("node", "--version") && runs("npm", "--version"), "node and npm are not on the PATH");
        if (Files.isExecutable(TOOL.resolve("node_modules/.bin/redocly"))) {
            return;
        }
        Result install = run(List.of("npm", "ci", "--no-audit", "--no-fund"));
        assertEquals(0, install.exit(), "npm ci in tools/openapi-lint: " + install);
    }

    @Test
    void the_checked_in_documents_have_no_lint_errors() throws Exception {
        List<String> command = new ArrayList<>(List.of(redocly(), "lint", "--config", "redocly.yaml"));
        DOCUMENTS.forEach(name -> command.add(ROOT.resolve("docs/openapi/" + name + ".yaml").toString()));

        Result lint = run(command);

        assertEquals(0, lint.exit(), "redocly lint found errors in docs/openapi/ (see docs/http-api.md):\n" + lint);
        assertTrue(lint.all().contains("Your API descriptions are valid"), "no verdict from redocly lint:\n" + lint);
    }

    /** The linter can say no: a document without a security scheme, operationId or 4xx fails it. */
    @Test
    void a_document_without_security_fails_the_lint() throws Exception {
        Path broken = Files.createDirectories(Path.of("target", "openapi-lint")).resolve("broken.yaml")
                .toAbsolutePath();
        Files.writeString(broken, """
                openapi: 3.1.0
                info:
                  title: broken
                  version: 0.0.0
                  license:
                    name: none
                    url: https://example.com
                servers:
                - url: http://localhost:8081
                paths:
                  /accounts:
                    post:
                      responses:
                        "201":
                          description: Opened
                """);

        Result lint = run(List.of(redocly(), "lint", "--config", "redocly.yaml", broken.toString()));

        assertEquals(1, lint.exit(), lint::toString);
        assertTrue(lint.all().contains("security-defined"), lint::toString);
    }

    private static String redocly() {
        return TOOL.resolve("node_modules/.bin/redocly").toString();
    }

    private static boolean runs(String... command) {
        try {
            return run(List.of(command)).exit() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    private record Result(int exit, String stdout, String stderr) {
        String all() {
            return stdout + stderr;
        }
    }

    private static Result run(List<String> command) throws Exception {
        Path out = Files.createTempFile("openapi-lint", ".out");
        Path err = Files.createTempFile("openapi-lint", ".err");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(TOOL.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile());
            // No usage reports to Redocly from a test run.
            builder.environment().put("REDOCLY_TELEMETRY", "off");
            builder.environment().put("REDOCLY_SUPPRESS_UPDATE_NOTICE", "true");
            Process process = builder.start();
            if (!process.waitFor(3, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError(command + " did not finish within 3 minutes");
            }
            return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
