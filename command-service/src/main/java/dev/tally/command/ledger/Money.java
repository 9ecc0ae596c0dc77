package dev.tally.command.ledger;

import java.math.BigDecimal;
import java.util.regex.Pattern;

/**
 * Exact amounts. On the wire an amount is a plain decimal string ("20.00"); inside the ledger it is
 * a count of minor units of the account's asset. Never a double.
 */
public final class Money {

    /**
     * The largest amount one command may move, in minor units: 10^15 (ten trillion dollars, a
     * quadrillion CREDITS). Balances are bounded by {@code Long.MAX_VALUE}; an operation that would
     * pass it is refused.
     */
    public static final long MAX_AMOUNT_MINOR = 1_000_000_000_000_000L;

    /**
     * Digits, optionally a point and more digits. No sign, no exponent, no grouping, no leading
     * zeros ("00005.00" is refused: two spellings of one amount invite two readings of it).
     */
    private static final Pattern PLAIN_DECIMAL = Pattern.compile("(0|[1-9]\\d{0,29})(\\.\\d{1,30})?");

    private Money() {
    }

    /** Whether the text has the shape of a plain, unsigned decimal number. */
    public static boolean isPlainDecimal(String text) {
        return text != null && PLAIN_DECIMAL.matcher(text).matches();
    }

    /**
     * Minor units of a positive amount in the given asset, or a rejection naming the field.
     * Rejects zero, more decimals than the asset allows, and anything above {@link #MAX_AMOUNT_MINOR}.
     */
    public static Result toMinorUnits(String field, String text, Asset asset) {
        if (!isPlainDecimal(text)) {
            return new Result.Invalid(Rejection.validation(field, "must be a positive decimal string such as \"20.00\""));
        }
        // The scale as written, not as simplified: "100.0" JPY or "5.0" CREDITS claims a precision
        // the asset does not have, and is refused like any other extra decimal.
        BigDecimal amount = new BigDecimal(text);
        if (amount.scale() > asset.scale()) {
            return new Result.Invalid(Rejection.validation(field,
                    "%s allows at most %d decimal(s)".formatted(asset.code(), asset.scale())));
        }
        if (amount.signum() <= 0) {
            return new Result.Invalid(Rejection.validation(field, "must be greater than zero"));
        }
        BigDecimal minor = amount.movePointRight(asset.scale());
        if (minor.compareTo(BigDecimal.valueOf(MAX_AMOUNT_MINOR)) > 0) {
            return new Result.Invalid(Rejection.validation(field,
                    "must not exceed " + format(MAX_AMOUNT_MINOR, asset)));
        }
        return new Result.Valid(minor.longValueExact());
    }

    /** Like {@link #toMinorUnits} but zero is allowed (limits, not movements). */
    public static Result toMinorUnitsOrZero(String field, String text, Asset asset) {
        if (isPlainDecimal(text) && new BigDecimal(text).signum() == 0) {
            return new Result.Valid(0);
        }
        return toMinorUnits(field, text, asset);
    }

    /** The decimal string of a minor-unit amount, with exactly the asset's scale ("10.00", "-5.50", "7"). */
    public static String format(long minorUnits, Asset asset) {
        return BigDecimal.valueOf(minorUnits, asset.scale()).toPlainString();
    }

    /** The outcome of parsing an amount. */
    public sealed interface Result {
        record Valid(long minorUnits) implements Result {
        }

        record Invalid(Rejection rejection) implements Result {
        }
    }
}
