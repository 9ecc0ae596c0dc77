package dev.tally.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tally.events.FundsWithdrawn;
import dev.tally.schemas.upcasting.Upcasters;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/** FundsWithdrawn v2 added balanceBeforeMinor: a v1 event must arrive with the computed value, never the default. */
class UpcastingTest {

    private static byte[] v1Withdrawal() throws IOException {
        try (InputStream in = UpcastingTest.class.getResourceAsStream("/golden/FundsWithdrawn/v1.bin")) {
            return in.readAllBytes();
        }
    }

    @Test
    void a_v1_withdrawal_is_read_with_the_balance_before_it_computed_from_what_v1_wrote() throws IOException {
        FundsWithdrawn read = (FundsWithdrawn) new LedgerEventDeserializer().deserialize("t", v1Withdrawal());

        assertEquals(read.getBalanceAfterMinor() + read.getAmountMinor(), read.getBalanceBeforeMinor());
        assertEquals(12_345, read.getBalanceBeforeMinor());
    }

    @Test
    void without_the_upcaster_the_v1_withdrawal_would_carry_the_meaningless_default() throws IOException {
        LedgerEventDeserializer noUpcasting = new LedgerEventDeserializer(EventTypes.CURRENT, SchemaHistory.shipped(),
                Upcasters.NONE);

        assertEquals(-1, ((FundsWithdrawn) noUpcasting.deserialize("t", v1Withdrawal())).getBalanceBeforeMinor());
    }

    @Test
    void a_v2_withdrawal_is_read_as_written_without_upcasting() {
        FundsWithdrawn v2 = (FundsWithdrawn) dev.tally.schemas.golden.GoldenSamples.of("FundsWithdrawn").orElseThrow();
        byte[] bytes = new LedgerEventSerializer().serialize("t", v2);

        assertEquals(v2, new LedgerEventDeserializer().deserialize("t", bytes));
    }
}
