package dev.tally.command.accounts;

import dev.tally.command.ledger.Money;
import dev.tally.problems.Problem.FieldError;
import dev.tally.problems.Problem;
import dev.tally.problems.ProblemException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Checks what can be checked without the account: shapes, lengths, id syntax. Rules that need the
 * account (the currency's scale, the balance) belong to the decider.
 */
public final class RequestValidation {

    static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,63}");
    private static final int MAX_TEXT = 200;
    private static final int MAX_METADATA_ENTRIES = 32;

    private final List<FieldError> errors = new ArrayList<>();

    public RequestValidation id(String field, String value, boolean required) {
        if (value == null) {
            if (required) {
                errors.add(new FieldError(field, "is required"));
            }
        } else if (!CLIENT_ID.matcher(value).matches()) {
            errors.add(new FieldError(field, "must match " + CLIENT_ID.pattern()));
        }
        return this;
    }

    public RequestValidation text(String field, String value, boolean required) {
        if (value == null || value.isBlank()) {
            if (required) {
                errors.add(new FieldError(field, "is required"));
            }
            if (value != null) {
                plainText(field, value);
            }
        } else if (value.length() > MAX_TEXT) {
            errors.add(new FieldError(field, "must be at most " + MAX_TEXT + " characters"));
        } else {
            plainText(field, value);
        }
        return this;
    }

    /**
     * Free text is Unicode without control characters, and not in the sealed form of an encrypted
     * value: a NUL or an escape sequence in a sender's
     * reference would otherwise travel into every read model and subscriber of both accounts
     * (PostgreSQL, for one, cannot store a NUL). Unpaired surrogates are not Unicode at all.
     */
    private void plainText(String field, String value) {
        if (dev.tally.schemas.personal.SealedText.isSealed(value)) {
            // The form of a value Tally encrypted: a reader would try to open it, so it must come only
            // from Tally (issue 16), never from a client.
            errors.add(new FieldError(field, "must not start with \"" + dev.tally.schemas.personal.SealedText.PREFIX
                    + "\" (the form of an encrypted value)"));
            return;
        }
        for (int i = 0; i < value.length(); ) {
            int codePoint = value.codePointAt(i);
            if (Character.getType(codePoint) == Character.CONTROL) {
                errors.add(new FieldError(field, "must not contain control characters (U+%04X at %d)"
                        .formatted(codePoint, i)));
                return;
            }
            if (Character.getType(codePoint) == Character.SURROGATE) {
                errors.add(new FieldError(field, "must be valid Unicode (unpaired surrogate at " + i + ")"));
                return;
            }
            i += Character.charCount(codePoint);
        }
    }

    public RequestValidation amount(String field, String value, boolean required) {
        if (value == null) {
            if (required) {
                errors.add(new FieldError(field, "is required"));
            }
        } else if (!Money.isPlainDecimal(value)) {
            errors.add(new FieldError(field,
                    "must be a positive decimal string such as \"20.00\" (no sign, no exponent, no leading zeros)"));
        }
        return this;
    }

    public RequestValidation metadata(Map<String, String> metadata) {
        if (metadata == null) {
            return this;
        }
        if (metadata.size() > MAX_METADATA_ENTRIES) {
            errors.add(new FieldError("metadata", "must have at most " + MAX_METADATA_ENTRIES + " entries"));
        }
        metadata.forEach((key, value) -> {
            if (key.isBlank() || key.length() > 64) {
                errors.add(new FieldError("metadata", "keys must have 1 to 64 characters"));
            } else if (value == null || value.length() > MAX_TEXT) {
                errors.add(new FieldError("metadata." + key, "must be a string of at most " + MAX_TEXT + " characters"));
            } else {
                int before = errors.size();
                plainText("metadata", key);
                if (errors.size() == before) {
                    plainText("metadata." + key, value);
                }
            }
        });
        return this;
    }

    public void orThrow() {
        if (!errors.isEmpty()) {
            throw new ProblemException(Problem.validation(errors));
        }
    }

    public static void requireBody(Object body) {
        if (body == null) {
            throw new ProblemException(Problem.validation(List.of(new FieldError("body",
                    "is required: a JSON object"))));
        }
    }
}
