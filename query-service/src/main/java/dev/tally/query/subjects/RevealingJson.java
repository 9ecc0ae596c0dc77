package dev.tally.query.subjects;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;
import java.io.IOException;

/**
 * Every string an answer carries passes through {@link PersonalData#reveal}: sealed values open (or
 * read [erased]) wherever a view puts them — a reference, a metadata value, a reason — so no view can
 * forget to, and a new one needs nothing. Only Tally writes the sealed form (clients' text in that
 * form is refused), so nothing else is touched.
 */
@Singleton
public class RevealingJson implements ObjectMapperCustomizer {

    private final PersonalData personal;

    RevealingJson(PersonalData personal) {
        this.personal = personal;
    }

    @Override
    public void customize(ObjectMapper mapper) {
        SimpleModule module = new SimpleModule("tally-personal-data");
        module.addSerializer(String.class, new StdSerializer<>(String.class) {
            @Override
            public void serialize(String value, JsonGenerator json, SerializerProvider provider) throws IOException {
                json.writeString(personal.reveal(value));
            }
        });
        mapper.registerModule(module);
    }
}
