package dev.tally.command.ledger;

import java.util.Currency;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What an account holds: an ISO 4217 currency or a ledger asset such as {@code CREDITS}. The asset
 * fixes the scale (number of decimals) of every amount on the account.
 */
public record Asset(String code, int scale) {

    /** Assets that are not currencies, with their own scale. */
    public static final Asset CREDITS = new Asset("CREDITS", 0);

    private static final Pattern ISO_CODE = Pattern.compile("[A-Z]{3}");

    /** The asset for a code, or empty when it is neither a known currency with minor units nor a ledger asset. */
    public static Optional<Asset> of(String code) {
        if (code == null) {
            return Optional.empty();
        }
        if (CREDITS.code.equals(code)) {
            return Optional.of(CREDITS);
        }
        if (!ISO_CODE.matcher(code).matches()) {
            return Optional.empty();
        }
        try {
            int digits = Currency.getInstance(code).getDefaultFractionDigits();
            // -1 marks codes without minor units (gold, SDR, testing codes): not money we can count.
            return digits < 0 ? Optional.empty() : Optional.of(new Asset(code, digits));
        } catch (IllegalArgumentException unknown) {
            return Optional.empty();
        }
    }
}
