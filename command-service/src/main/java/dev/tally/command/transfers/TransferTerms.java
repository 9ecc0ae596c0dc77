package dev.tally.command.transfers;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a transfer id is bound to once it is claimed: a later request with the same id must ask for
 * exactly this again, or it is a different transfer and is refused. Amounts compare by value
 * ({@code "10.00"} and {@code "10.0"} are the same request), everything else as sent. A two-phase
 * transfer's {@code expiresIn} is not part of them: a retry keeps the first reservation's expiry.
 */
public record TransferTerms(String fromAccountId, String toAccountId, String amount, String reference,
                            Map<String, String> metadata, boolean twoPhase, String reversalOf) {

    public TransferTerms {
        reference = reference == null || reference.isEmpty() ? null : reference;
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }

    /** A one-phase transfer's terms. */
    public TransferTerms(String fromAccountId, String toAccountId, String amount, String reference,
                         Map<String, String> metadata) {
        this(fromAccountId, toAccountId, amount, reference, metadata, false, null);
    }

    public TransferTerms(String fromAccountId, String toAccountId, String amount, String reference,
                         Map<String, String> metadata, boolean twoPhase) {
        this(fromAccountId, toAccountId, amount, reference, metadata, twoPhase, null);
    }

    /** The names of the fields in which {@code other} asks for something else; empty when it is the same request. */
    public List<String> differences(TransferTerms other) {
        List<String> differ = new ArrayList<>();
        if (!fromAccountId.equals(other.fromAccountId)) {
            differ.add("fromAccountId");
        }
        if (!toAccountId.equals(other.toAccountId)) {
            differ.add("toAccountId");
        }
        if (!sameAmount(amount, other.amount)) {
            differ.add("amount");
        }
        if (!Objects.equals(reference, other.reference)) {
            differ.add("reference");
        }
        if (!metadata.equals(other.metadata)) {
            differ.add("metadata");
        }
        if (twoPhase != other.twoPhase) {
            differ.add("twoPhase");
        }
        if (!Objects.equals(reversalOf, other.reversalOf)) {
            differ.add("reversalOf");
        }
        return differ;
    }

    private static boolean sameAmount(String a, String b) {
        try {
            return new BigDecimal(a).compareTo(new BigDecimal(b)) == 0;
        } catch (NumberFormatException | NullPointerException unparsable) {
            return Objects.equals(a, b);
        }
    }
}
