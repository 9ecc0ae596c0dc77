package dev.tally.examples.subscriber;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.HashMap;
import java.util.Map;

/**
 * Turns minor units into amounts a person reads. Events carry integer minor units and a currency;
 * the number of decimals comes from the account's {@code AccountOpened} ({@code scale}), which is
 * always the first event of its account on the same partition, so a subscriber reading from the
 * start has seen it. Joining midway, it falls back to the ISO 4217 minor units of the currency.
 */
final class AccountScales {

    private final Map<String, Integer> scaleByAccount = new HashMap<>();

    void opened(String accountId, int scale) {
        scaleByAccount.put(accountId, scale);
    }

    /** {@code "123.45 USD"}, or {@code "12345 minor units of XYZ"} when the scale is unknown. */
    String format(String accountId, long amountMinor, String currency) {
        Integer scale = scaleByAccount.getOrDefault(accountId, isoMinorUnits(currency));
        return scale == null
                ? amountMinor + " minor units of " + currency
                : BigDecimal.valueOf(amountMinor, scale).toPlainString() + " " + currency;
    }

    private static Integer isoMinorUnits(String currency) {
        try {
            int digits = Currency.getInstance(currency).getDefaultFractionDigits();
            return digits < 0 ? null : digits;
        } catch (IllegalArgumentException notIso) {
            return null;
        }
    }
}
