package dev.tally.system;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every problem {@code code} the services' source can produce has a row in the table of
 * {@code docs/http-api.md}, and every row names a code the source produces: the documented contract
 * cannot fall behind the code. Needs no stack: it reads the services' main sources as text.
 */
class ProblemCodesDocumentedTest {

    private static final Path ROOT = Path.of(System.getProperty("tally.repository.root", "..")).toAbsolutePath().normalize();
    private static final String CODE = "\"([a-z]+(?:-[a-z]+)+|[a-z]+)\"";
    /** Where a code is written in the source: a status and a code, a rejection, a status mapping, a literal body. */
    private static final List<Pattern> PRODUCED = List.of(
            Pattern.compile("\\(\\s*\\d{3},\\s*" + CODE),
            Pattern.compile("\\breject\\(\\s*" + CODE),
            Pattern.compile("\\bRejection\\.of\\(\\s*" + CODE),
            Pattern.compile("case \\d{3} -> " + CODE),
            Pattern.compile(">= \\d{3} \\? " + CODE + " : " + CODE),
            Pattern.compile("\"code\",\\s*" + CODE));
    private static final Pattern DOCUMENTED = Pattern.compile("^\\| `([a-z-]+)` \\| \\d{3}", Pattern.MULTILINE);
    /** Produced inside the write model only, never answered (docs/http-api.md says so below its table). */
    private static final Set<String> INTERNAL = Set.of("transfer-not-in-flight", "owner-mismatch");

    @Test
    void every_code_the_services_produce_is_in_the_table_and_every_row_is_produced() throws IOException {
        Set<String> produced = new TreeSet<>();
        for (String module : List.of("problems", "security", "command-service", "query-service", "projection-service")) {
            try (Stream<Path> files = Files.walk(ROOT.resolve(module).resolve("src/main/java"))) {
                files.filter(file -> file.toString().endsWith(".java")).forEach(file -> produced.addAll(codesIn(file)));
            }
        }
        String doc = Files.readString(ROOT.resolve("docs/http-api.md"));
        Set<String> documented = new TreeSet<>();
        Matcher rows = DOCUMENTED.matcher(doc);
        while (rows.find()) {
            documented.add(rows.group(1));
        }
        assertTrue(produced.size() > 20, () -> "the source scan found too few codes to be right: " + produced);

        Set<String> undocumented = new TreeSet<>(produced);
        undocumented.removeAll(documented);
        undocumented.removeAll(INTERNAL);
        assertTrue(undocumented.isEmpty(), () -> "produced but not in the table of docs/http-api.md: " + undocumented);
        Set<String> unproduced = new TreeSet<>(documented);
        unproduced.removeAll(produced);
        assertTrue(unproduced.isEmpty(), () -> "in the table of docs/http-api.md but produced nowhere: " + unproduced);
        INTERNAL.forEach(code -> assertTrue(doc.contains("`" + code + "`"), code + " is explained in docs/http-api.md"));
    }

    private static Set<String> codesIn(Path file) {
        try {
            String source = Files.readString(file);
            Set<String> codes = new TreeSet<>();
            for (Pattern pattern : PRODUCED) {
                Matcher matcher = pattern.matcher(source);
                while (matcher.find()) {
                    for (int group = 1; group <= matcher.groupCount(); group++) {
                        codes.add(matcher.group(group));
                    }
                }
            }
            if (source.contains("Rejection.validation(") || source.contains("Problem.validation(")
                    || source.contains("Problem.invalid(")) {
                codes.add("validation");
            }
            return codes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
