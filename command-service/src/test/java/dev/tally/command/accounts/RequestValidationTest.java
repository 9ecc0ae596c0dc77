package dev.tally.command.accounts;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.command.ledger.Asset;
import dev.tally.command.ledger.Money;
import dev.tally.command.platform.StrictJson;
import dev.tally.command.transfers.TransferRequest;
import dev.tally.problems.ProblemException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What the command service refuses before anything reaches the write model. */
class RequestValidationTest {

    @ParameterizedTest
    @ValueSource(strings = {"\u0000", "a\u0000b", "\u0001", "line\nbreak", "tab\there", "\r", "\u001b[31m", "\u007f",
            "\u0085", "\u009f", "\ud800", "x\udc00y", "tally:sealed:v1:k:AAAA", "tally:sealed:"})
    void free_text_with_control_characters_broken_unicode_or_the_sealed_form_is_a_validation_error(String text) {
        assertRefused(() -> new RequestValidation().text("reference", text, false).orThrow());
        assertRefused(() -> new RequestValidation().metadata(Map.of("k", text)).orThrow());
        assertRefused(() -> new RequestValidation().metadata(Map.of(text, "v")).orThrow());
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain", "Grüße", "日本語", "emoji 💸", "\u200f rtl mark", "zero\u200bwidth", "\ufeffbom",
            "'; drop table accounts; --", "<script>"})
    void unicode_without_control_characters_is_accepted(String text) {
        assertDoesNotThrow(() -> new RequestValidation().text("reference", text, false)
                .metadata(Map.of("note", text)).orThrow());
    }

    @ParameterizedTest
    @ValueSource(strings = {"00005.00", "01", "-1.00", "+1.00", "1e3", "1.", ".5", "1,000.00", " 1.00", "0x10", ""})
    void malformed_amounts_are_refused(String amount) {
        assertRefused(() -> new RequestValidation().amount("amount", amount, true).orThrow());
    }

    @Test
    void more_decimals_than_the_currency_has_are_refused_even_when_they_are_zeros() {
        assertTrue(Money.toMinorUnits("amount", "100.0", Asset.of("JPY").orElseThrow()) instanceof Money.Result.Invalid);
        assertTrue(Money.toMinorUnits("amount", "5.0", Asset.of("CREDITS").orElseThrow()) instanceof Money.Result.Invalid);
        assertTrue(Money.toMinorUnits("amount", "1.000", Asset.of("USD").orElseThrow()) instanceof Money.Result.Invalid);
        assertEquals(new Money.Result.Valid(1050), Money.toMinorUnits("amount", "10.5", Asset.of("USD").orElseThrow()));
        assertEquals(new Money.Result.Valid(50), Money.toMinorUnits("amount", "0.50", Asset.of("USD").orElseThrow()));
    }

    @Test
    void a_json_body_with_a_duplicate_key_is_refused() {
        ObjectMapper mapper = new ObjectMapper();
        new StrictJson().customize(mapper);
        assertThrows(JsonProcessingException.class, () -> mapper.readValue(
                "{\"fromAccountId\":\"a\",\"toAccountId\":\"b\",\"amount\":\"1.00\",\"amount\":\"900.00\"}",
                TransferRequest.class));
    }

    private static void assertRefused(org.junit.jupiter.api.function.Executable validation) {
        ProblemException refused = assertThrows(ProblemException.class, validation);
        assertEquals("validation", refused.problem().code());
    }
}
