package dev.tally.schemas.golden;

import dev.tally.schemas.LedgerEventSerializer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import org.apache.avro.io.Encoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * The committed bytes of one sample event as one released version of its type wrote it
 * ({@code golden/<Type>/v<N>.bin}, single-object encoded) and the same sample in Avro's JSON
 * encoding ({@code v<N>.json}), which says what the bytes must decode to.
 */
public record GoldenFixture(String type, int version) {

    public String bytesResource() {
        return "golden/" + type + "/v" + version + ".bin";
    }

    public String jsonResource() {
        return "golden/" + type + "/v" + version + ".json";
    }

    public Optional<byte[]> bytes() {
        return resource(bytesResource());
    }

    public Optional<String> json() {
        return resource(jsonResource()).map(bytes -> new String(bytes, StandardCharsets.UTF_8));
    }

    /** Writes both files under {@code goldenDir}, refusing to replace one: a released fixture is history. */
    public void write(Path goldenDir, SpecificRecord sample) throws IOException {
        Path bytesFile = goldenDir.resolve(bytesResource().substring("golden/".length()));
        Files.createDirectories(bytesFile.getParent());
        Files.write(bytesFile, encode(sample), StandardOpenOption.CREATE_NEW);
        Files.writeString(goldenDir.resolve(jsonResource().substring("golden/".length())), json(sample) + "\n",
                StandardOpenOption.CREATE_NEW);
    }

    /** Today's encoding, exactly as the producers put it on the topic. */
    public static byte[] encode(SpecificRecord sample) {
        return new LedgerEventSerializer().serialize("tally.ledger.events", sample);
    }

    public static String json(SpecificRecord sample) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Encoder encoder = EncoderFactory.get().jsonEncoder(sample.getSchema(), out, true);
            new SpecificDatumWriter<SpecificRecord>(sample.getSchema()).write(sample, encoder);
            encoder.flush();
            return out.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Optional<byte[]> resource(String name) {
        try (InputStream in = GoldenFixture.class.getClassLoader().getResourceAsStream(name)) {
            return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
