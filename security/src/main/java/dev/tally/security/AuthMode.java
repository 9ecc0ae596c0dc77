package dev.tally.security;

/**
 * Whether requests must carry a bearer token. Set with {@code tally.auth} ({@code TALLY_AUTH}):
 * {@code on} (the default, and the only sane value outside a laptop) or {@code off}. Nothing else
 * turns authentication off, and any other value stops the service at start-up.
 */
public enum AuthMode {
    ON, OFF;

    public static AuthMode parse(String value) {
        return switch (value == null ? "" : value.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "on" -> ON;
            case "off" -> OFF;
            default -> throw new IllegalArgumentException("tally.auth (TALLY_AUTH) must be 'on' or 'off', got '" + value + "'");
        };
    }
}
