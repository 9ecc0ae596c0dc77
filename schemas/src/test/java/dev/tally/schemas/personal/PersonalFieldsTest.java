package dev.tally.schemas.personal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.schemas.EventTypes;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/** Every text-bearing field of every current event schema is decided: personal, the subject, or a fact. */
class PersonalFieldsTest {

    @Test
    void every_text_field_of_every_current_schema_is_classified_exactly_once() {
        List<String> undecided = new ArrayList<>();
        List<String> twice = new ArrayList<>();
        for (Schema type : EventTypes.CURRENT) {
            for (Schema.Field field : type.getFields()) {
                List<Schema.Field> fields = field.name().equals("meta") ? field.schema().getFields() : List.of(field);
                for (Schema.Field f : fields) {
                    if (!carriesText(f.schema())) {
                        continue;
                    }
                    int classes = (PersonalFields.of(type.getName()).contains(f.name()) ? 1 : 0)
                            + (PersonalFields.SUBJECT.contains(f.name()) ? 1 : 0)
                            + (PersonalFields.FACTS.contains(f.name()) ? 1 : 0);
                    if (classes == 0) {
                        undecided.add(type.getName() + "." + f.name());
                    } else if (classes > 1) {
                        twice.add(type.getName() + "." + f.name());
                    }
                }
            }
        }
        assertEquals(List.of(), undecided, "decide in PersonalFields whether these fields are personal");
        assertEquals(List.of(), twice, "a field is personal, the subject or a fact, not two of them");
    }

    @Test
    void every_personal_field_named_exists_in_its_current_schema() {
        PersonalFields.PERSONAL.forEach((type, fields) -> fields.forEach(name -> assertTrue(
                EventTypes.CURRENT.stream().anyMatch(s -> s.getName().equals(type) && s.getField(name) != null),
                type + "." + name + " is not a field of a current schema")));
    }

    private static boolean carriesText(Schema schema) {
        return switch (schema.getType()) {
            case STRING -> true;
            case UNION -> schema.getTypes().stream().anyMatch(PersonalFieldsTest::carriesText);
            case MAP -> carriesText(schema.getValueType());
            case ARRAY -> carriesText(schema.getElementType());
            default -> false;
        };
    }
}
