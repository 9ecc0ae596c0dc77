package dev.tally.system;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;

/**
 * Generates the hostile requests of {@link HostileInputSystemTest} from a seed: each one a valid
 * request with one thing made wrong (or, against the sink accounts only, made odd but maybe valid).
 * A request that must be refused never aims at anything but the target accounts, whose log must
 * stay as it was; one that API.md may let through aims at the sinks, or reads only.
 */
final class HostileRequests {

    /** An account the requests aim at: a valid amount for its currency, and amounts it must refuse. */
    record Account(String id, String currency, String owner, String validAmount, List<String> badAmounts) {
    }

    /** What the requests are aimed at and who they claim to be. */
    record World(int commandPort, int queryPort, int projectionPort, List<Account> targets, List<Account> sinks,
                 String sinkOwner, List<String> staffTokens, Map<String, String> badTokens, String noRoleToken,
                 String auditorToken, String tellerToken, String strangerToken, String sinkOwnerToken,
                 String transferId, String transferBody, String idempotencyKey, String idempotentBody,
                 String reachedToken, String holdId) {
    }

    /** The family of odd but valid text in hold placements on the sinks: what is accepted must be stored exactly. */
    static final String ODD_TEXT_HOLD = "odd-text hold (sink)";

    /** What placed the open hold {@code holdId} every target has (in the set-up): sent again, it is a replay. */
    static String openHoldBody(String holdId, Account account) {
        return "{\"holdId\":\"" + holdId + "\",\"amount\":\"" + account.validAmount()
                + "\",\"expiresIn\":\"P30D\",\"reference\":\"hostile input test\"}";
    }

    /**
     * One request and what may come back: {@code mustRefuse} when API.md makes it an error (a 2xx is
     * then a failure), {@code expected} the statuses API.md names for it (empty: any 4xx), and
     * whether 503 {@code projection-lagging} is the documented answer (a token not yet reached).
     */
    record Case(int index, String family, String variant, String endpoint, int port, RawHttp.Request request,
                boolean mustRefuse, Set<Integer> expected, boolean lagAllowed, boolean replay) {

        Case with(boolean lag, boolean isReplay) {
            return new Case(index, family, variant, endpoint, port, request, mustRefuse, expected, lag, isReplay);
        }
    }

    private static final List<String> CONTROL = List.of("\u0000", "\u0001", "\u0007", "\b", "\t", "\n", "\r", "\u001b",
            "\u001f", "\u007f");
    private static final List<String> ODD_UNICODE = List.of("\u202e", "\u200b", "\ufeff", "💸", "e\u0301", "\uffff",
            "\ufffd", "\u2028", "\u0085", "漢字", "Ω", "\u00a0", "\ud83d\ude00\u200d\ud83d\udcbb", "x".repeat(5000));
    private static final List<String> INJECTION = List.of("'; DROP TABLE accounts;--", "<script>alert(1)</script>",
            "${jndi:ldap://127.0.0.1/a}", "{{7*7}}", "../../etc/passwd", "%00", "\\", "\"", "1' OR '1'='1", "$(reboot)",
            "%s%s%s%n", "\\u0000");
    /** Ids in a path, already percent-encoded, that can name no account, transfer or projection. */
    private static final List<String> BAD_PATH_IDS = List.of("%00", "a%00b", "%0A", "%0D%0A", "%7F", "%1B", "%C0%80",
            "%FF", "%FE%FF", "%E2%80%AE", "%F0%9F%92%B8", "%20", "%2F", "%2E%2E", "%25", "%25%30%30", "a".repeat(65),
            "b".repeat(2000), "%27%20OR%201%3D1--", "%3Cscript%3E", "%24%7Bjndi%3Aldap%3A%2F%2Fx%7D", "-dash", ".dot",
            "_under", "%E3%81%82", "a%CC%81", "%EF%BB%BFa", "a%09b");
    private static final List<String> TARGET_SUFFIXES = List.of("%00", "%20", "%0A", "%09", "%E2%80%8B", "%2F..", "%7F");

    private final long seed;
    private final World world;

    HostileRequests(long seed, World world) {
        this.seed = seed;
        this.world = world;
    }

    List<Case> generate(int count) {
        List<Function<Gen, Case>> families = new ArrayList<>();
        weigh(families, 8, Gen::malformedJson);
        weigh(families, 7, Gen::wrongType);
        weigh(families, 6, Gen::unknownField);
        weigh(families, 4, Gen::duplicateKey);
        weigh(families, 12, Gen::badAmount);
        weigh(families, 9, Gen::controlCharacters);
        weigh(families, 5, Gen::oddTextOnSinks);
        weigh(families, 4, Gen::badIdInBody);
        weigh(families, 10, Gen::badPathId);
        weigh(families, 10, Gen::badQuery);
        weigh(families, 5, Gen::badConsistencyHeaders);
        weigh(families, 5, Gen::wrongMethod);
        weigh(families, 5, Gen::wrongContentTypeOrAccept);
        weigh(families, 2, Gen::oversized);
        weigh(families, 9, Gen::badToken);
        weigh(families, 6, Gen::notYours);
        weigh(families, 5, Gen::badCommandHeaders);
        weigh(families, 3, Gen::reusedIds);
        weigh(families, 2, Gen::unknownRoute);
        weigh(families, 14, Gen::hostileHold);
        weigh(families, 3, Gen::oddTextHoldOnSinks);
        List<Case> cases = new ArrayList<>(count);
        Random random = new Random(seed);
        for (int i = 0; i < count; i++) {
            Gen gen = new Gen(new Random(random.nextLong()), i);
            cases.add(families.get(gen.random.nextInt(families.size())).apply(gen));
        }
        return cases;
    }

    private static void weigh(List<Function<Gen, Case>> families, int weight, Function<Gen, Case> family) {
        for (int i = 0; i < weight; i++) {
            families.add(family);
        }
    }

    /** The generator of one request. */
    private final class Gen {

        final Random random;
        final int index;

        Gen(Random random, int index) {
            this.random = random;
            this.index = index;
        }

        // ---- families ------------------------------------------------------------------------

        Case malformedJson() {
            List<String> bodies = List.of("", "{", "}", "{\"amount\":}", "{\"amount\":\"%s\",}", "{'amount':'%s'}",
                    "{\"amount\":\"%s\"} trailing", "{\"amount\":\"%s\"}{}", "[]", "null", "\"%s\"", "1", "true",
                    "{\"amount\":\"%s\" /* comment */}", "{\"amount\":NaN}", "[".repeat(5000), "{\"a\":".repeat(3000),
                    "{\"amount\":\"%s", "{\"amount\":\"\\uZZZZ\"}", "{amount:\"%s\"}", "{\"amount\"\"%s\"}",
                    "{\"amount\":\"%s\"\u0000}", "\u0000", "{\"amount\":\"%s\"}\u0000");
            Account target = target();
            String body = pick(bodies).replace("%s", target.validAmount());
            if (random.nextInt(10) == 0) {
                // invalid UTF-8 inside a string: not JSON text at all
                byte[] raw = ("{\"amount\":\"" + target.validAmount() + "\",\"reference\":\"\u0000\u0000\"}")
                        .getBytes(StandardCharsets.ISO_8859_1);
                raw[raw.length - 4] = (byte) 0xC3;
                raw[raw.length - 3] = (byte) 0x28;
                return command("malformed-json", "invalid UTF-8", "POST", movement(target), raw, true);
            }
            return switch (random.nextInt(4)) {
                case 0 -> command("malformed-json", show(body), "POST", movement(target), body, true);
                case 1 -> command("malformed-json", show(body), "POST", "/accounts", body, true);
                case 2 -> command("malformed-json", show(body), "POST", "/transfers", body, true);
                default -> body.isEmpty() ? command("malformed-json", show(body), "POST", movement(target), body, true)
                        : command("malformed-json", show(body), "POST", action(target), body, true);
            };
        }

        Case wrongType() {
            Account t = target();
            Account other = otherTarget(t);
            String amount = q(t.validAmount());
            List<String[]> variants = List.of(
                    m("{\"amount\":" + t.validAmount() + "}"), m("{\"amount\":1.00}"), m("{\"amount\":true}"),
                    m("{\"amount\":[" + amount + "]}"), m("{\"amount\":{\"value\":" + amount + "}}"), m("{\"amount\":null}"),
                    m("{\"amount\":" + amount + ",\"reference\":5}"), m("{\"amount\":" + amount + ",\"reference\":true}"),
                    m("{\"amount\":" + amount + ",\"reference\":{}}"), m("{\"amount\":" + amount + ",\"metadata\":\"x\"}"),
                    m("{\"amount\":" + amount + ",\"metadata\":[\"a\"]}"), m("{\"amount\":" + amount + ",\"metadata\":{\"k\":5}}"),
                    m("{\"amount\":" + amount + ",\"metadata\":{\"k\":{\"n\":\"v\"}}}"),
                    o("{\"accountId\":\"" + fresh() + "\",\"owner\":5,\"currency\":\"USD\"}"),
                    o("{\"accountId\":\"" + fresh() + "\",\"owner\":\"x\",\"currency\":840}"),
                    o("{\"accountId\":\"" + fresh() + "\",\"owner\":\"x\",\"currency\":\"USD\",\"overdraftLimit\":100}"),
                    o("{\"accountId\":12345,\"owner\":\"x\",\"currency\":\"USD\"}"),
                    o("{\"accountId\":\"" + fresh() + "\",\"owner\":[\"x\"],\"currency\":\"USD\"}"),
                    o("{\"accountId\":\"" + fresh() + "\",\"owner\":\"x\",\"currency\":\"USD\",\"metadata\":[]}"),
                    tr("{\"fromAccountId\":1,\"toAccountId\":\"" + other.id() + "\",\"amount\":" + amount + "}"),
                    tr(transfer(t, other, "%s").replace("\"%s\"", t.validAmount())),
                    tr("{\"transferId\":7,\"fromAccountId\":\"" + t.id() + "\",\"toAccountId\":\"" + other.id() + "\",\"amount\":" + amount + "}"),
                    tr("{\"fromAccountId\":\"" + t.id() + "\",\"toAccountId\":[\"" + other.id() + "\"],\"amount\":" + amount + "}"),
                    f("{\"reason\":5}"), f("{\"reason\":[\"x\"]}"), f("{\"reason\":{}}"), f("[]"), f("\"frozen\""), f("7"));
            return fromVariant("wrong-type", pick(variants), t);
        }

        Case unknownField() {
            Account t = target();
            String field = pick(List.of("\"balance\":\"1000000.00\"", "\"balanceAfter\":\"9.00\"", "\"actor\":\"ceo\"",
                    "\"version\":7", "\"status\":\"CLOSED\"", "\"amount_\":\"1.00\"", "\"__proto__\":{}", "\"\":\"x\"",
                    "\"transactionId\":\"t-1\"", "\"occurredAt\":\"2020-01-01T00:00:00Z\"", "\"currency\":\"JPY\"",
                    "\"owner\":\"mallory\"", "\"sequence\":1", "\"overdraftLimit\":\"99999.00\""));
            List<String[]> variants = List.of(
                    m("{\"amount\":" + q(t.validAmount()) + "," + field + "}"),
                    o("{\"accountId\":\"" + fresh() + "\",\"owner\":\"x\",\"currency\":\"USD\"," + field.replace("currency", "kurrency").replace("\"owner\"", "\"ownerName\"").replace("overdraftLimit", "overdraft") + "}"),
                    tr(transfer(t, otherTarget(t), t.validAmount()).replace("}", "," + field.replace("\"currency\"", "\"toCurrency\"") + "}")),
                    f("{\"reason\":\"x\"," + field + "}"), f("{\"until\":\"2030-01-01\"}"), c("{\"force\":true}"));
            return fromVariant("unknown-field", pick(variants), t);
        }

        Case duplicateKey() {
            Account t = target();
            Account other = otherTarget(t);
            String a = q(t.validAmount());
            List<String[]> variants = List.of(
                    m("{\"amount\":" + a + ",\"amount\":\"900000.00\"}"),
                    m("{\"amount\":\"-1.00\",\"amount\":" + a + "}"),
                    m("{\"amount\":" + a + ",\"metadata\":{\"k\":\"a\",\"k\":\"b\"}}"),
                    m("{\"amount\":" + a + ",\"reference\":\"a\",\"reference\":\"b\"}"),
                    o("{\"accountId\":\"" + fresh() + "\",\"owner\":\"x\",\"currency\":\"USD\",\"currency\":\"JPY\"}"),
                    o("{\"accountId\":\"" + fresh() + "\",\"accountId\":\"" + fresh() + "x\",\"owner\":\"x\",\"currency\":\"USD\"}"),
                    tr("{\"fromAccountId\":\"" + t.id() + "\",\"toAccountId\":\"" + other.id() + "\",\"toAccountId\":\""
                            + sink().id() + "\",\"amount\":" + a + "}"),
                    tr("{\"fromAccountId\":\"" + sink().id() + "\",\"fromAccountId\":\"" + t.id() + "\",\"toAccountId\":\""
                            + other.id() + "\",\"amount\":" + a + "}"),
                    f("{\"reason\":\"a\",\"reason\":\"b\"}"));
            return fromVariant("duplicate-key", pick(variants), t);
        }

        Case badAmount() {
            Account t = target();
            String amount = pick(t.badAmounts());
            boolean asNumber = random.nextInt(8) == 0 && amount.matches("-?[0-9.eE]+") && !amount.startsWith("0") && !amount.endsWith(".");
            String json = asNumber ? amount : q(amount);
            String variant = t.currency() + " " + (asNumber ? amount + " (a JSON number)" : show(q(amount)));
            return switch (random.nextInt(5)) {
                case 0, 1 -> command("bad-amount", variant, "POST", movement(t), "{\"amount\":" + json + "}", true);
                case 2 -> command("bad-amount", variant, "POST", "/transfers",
                        transfer(t, otherTarget(t), "%s").replace("\"%s\"", json), true);
                case 3 -> amount.matches("-?0*\\.?0*") || amount.replace(".", "").length() > 12
                        ? command("bad-amount", variant, "POST", movement(t), "{\"amount\":" + json + "}", true)
                        : command("bad-amount", "overdraftLimit " + variant, "POST", "/accounts",
                        "{\"accountId\":\"" + fresh() + "\",\"owner\":\"x\",\"currency\":\"" + t.currency()
                                + "\",\"overdraftLimit\":" + json + "}", true);
                default -> command("bad-amount", variant + " with a reference", "POST", movement(t),
                        "{\"amount\":" + json + ",\"reference\":\"hostile\"}", true);
            };
        }

        Case controlCharacters() {
            Account t = target();
            String ch = pick(CONTROL);
            String text = pick(List.of(ch, "a" + ch + "b", "ok" + ch, ch.repeat(50)));
            boolean raw = random.nextInt(5) == 0;
            String s = raw ? "\"" + text + "\"" : q(text);
            String name = String.format("U+%04X%s", (int) ch.charAt(0), raw ? " raw (not valid JSON)" : " escaped");
            String a = q(t.validAmount());
            List<String[]> variants = List.of(
                    at(m("{\"amount\":" + a + ",\"reference\":" + s + "}"), "a deposit's or withdrawal's reference"),
                    at(m("{\"amount\":" + a + ",\"metadata\":{\"k\":" + s + "}}"), "a metadata value"),
                    at(m("{\"amount\":" + a + ",\"metadata\":{" + s + ":\"v\"}}"), "a metadata key"),
                    at(tr(transfer(t, otherTarget(t), t.validAmount()).replace("}", ",\"reference\":" + s + "}")), "a transfer's reference"),
                    at(tr(transfer(t, otherTarget(t), t.validAmount()).replace("}", ",\"metadata\":{\"jobId\":" + s + "}}")),
                            "a transfer's metadata value"),
                    at(tr(transfer(t, otherTarget(t), t.validAmount()).replace("{", "{\"transferId\":" + q("tx" + text) + ",")), "transferId"),
                    at(o("{\"accountId\":\"" + fresh() + "\",\"owner\":" + s + ",\"currency\":\"USD\"}"), "owner"),
                    at(o("{\"accountId\":" + q(fresh() + text) + ",\"owner\":\"x\",\"currency\":\"USD\"}"), "accountId"),
                    at(o("{\"accountId\":\"" + fresh() + "\",\"owner\":\"x\",\"currency\":" + q("US" + text + "D") + "}"), "currency"),
                    at(o("{\"accountId\":\"" + fresh() + "\",\"owner\":\"x\",\"currency\":\"USD\",\"metadata\":{\"k\":" + s + "}}"),
                            "an account's metadata value"),
                    at(f("{\"reason\":" + s + "}"), "a freeze/unfreeze/close reason"));
            String[] v = pick(variants);
            return fromVariant("control-characters", new String[] {v[0], v[1], name + " in " + v[2]}, t);
        }

        /** Odd but valid Unicode and injection strings in free text: may be accepted, on the sinks only. */
        Case oddTextOnSinks() {
            Account s = sink();
            String text = random.nextBoolean() ? pick(ODD_UNICODE) : pick(INJECTION);
            String name = text.length() > 40 ? "a 5000-character string" : show(q(text));
            String body = switch (random.nextInt(4)) {
                case 0 -> "{\"amount\":" + q(s.validAmount()) + ",\"reference\":" + q(text) + "}";
                case 1 -> "{\"amount\":" + q(s.validAmount()) + ",\"metadata\":{" + q(text.length() > 100 ? "k" : text) + ":" + q(text) + "}}";
                case 2 -> "{\"amount\":" + q(s.validAmount()) + ",\"metadata\":{\"type\":\"jobLaunch\",\"jobId\":" + q(text) + "}}";
                default -> null;
            };
            if (body != null) {
                return command("odd-text (sink)", name, "POST", "/accounts/" + s.id() + "/" + pick(List.of("deposits", "withdrawals")),
                        body, false);
            }
            if (random.nextBoolean()) {
                Account to = otherSink(s);
                return command("odd-text (sink)", name + " in a transfer reference", "POST", "/transfers",
                        transfer(s, to, s.validAmount()).replace("}", ",\"reference\":" + q(text) + "}"), false);
            }
            return command("odd-text (sink)", name + " as an owner", "POST", "/accounts",
                    "{\"accountId\":\"" + fresh() + "\",\"owner\":" + q(text) + ",\"currency\":\"CREDITS\"}", false);
        }

        /** Ids in bodies that break API.md's pattern: injection, odd Unicode, too long, empty. */
        Case badIdInBody() {
            Account t = target();
            String id = pick(List.of("", " ", "a b", "'; DROP TABLE accounts;--", "<script>", "${jndi:ldap://x/a}",
                    "a".repeat(65), "c".repeat(5000), "-x", ".x", "acct\u202e", "acct\u200b", "💸", "ÄÖÜ", "a/b", "a?b", "a#b",
                    "a%00b", t.id() + " ", " " + t.id(), t.id() + "\u200b"));
            String s = q(id);
            List<String[]> variants = List.of(
                    at(tr("{\"fromAccountId\":\"" + t.id() + "\",\"toAccountId\":" + s + ",\"amount\":" + q(t.validAmount()) + "}"),
                            "toAccountId"),
                    at(tr("{\"transferId\":" + s + ",\"fromAccountId\":\"" + t.id() + "\",\"toAccountId\":\"" + otherTarget(t).id()
                            + "\",\"amount\":" + q(t.validAmount()) + "}"), "transferId"),
                    at(tr("{\"fromAccountId\":" + s + ",\"toAccountId\":\"" + t.id() + "\",\"amount\":" + q(t.validAmount()) + "}"),
                            "fromAccountId"),
                    at(o("{\"accountId\":" + s + ",\"owner\":\"x\",\"currency\":\"USD\"}"), "accountId"));
            String[] v = pick(variants);
            return fromVariant("bad-id-in-body", new String[] {v[0], v[1], show(s) + " as " + v[2]}, t);
        }

        Case badPathId() {
            String id = random.nextInt(4) == 0 ? target().id() + pick(TARGET_SUFFIXES)
                    : random.nextInt(6) == 0 ? target().id().toUpperCase() : pick(BAD_PATH_IDS);
            String variant = id.length() > 80 ? id.length() + " characters" : id;
            Account t = target();
            return switch (random.nextInt(12)) {
                case 0, 1, 2 -> {
                    String action = pick(List.of("deposits", "withdrawals", "freeze", "unfreeze", "close"));
                    String body = action.endsWith("s") ? "{\"amount\":" + q(t.validAmount()) + "}" : "{}";
                    yield command("bad-path-id", variant, "POST", "/accounts/" + id + "/" + action, body, true, 400, 404);
                }
                case 3, 4, 5, 6 -> read("bad-path-id", variant, "/accounts/" + id + pick(List.of("", "/balance", "/entries",
                        "/daily?from=2026-01-01&to=2026-01-31", "?asOf=2026-01-01T00:00:00Z", "/entries?limit=5")), true, 400, 404);
                case 7, 8 -> read("bad-path-id", variant, "/transfers/" + id, true, 400, 404);
                case 9 -> ops("bad-path-id", variant, "GET", "/projections/" + id, null, true, 400, 404);
                case 10 -> ops("bad-path-id", variant, "POST", "/projections/" + id + "/rebuild", "", true, 400, 404);
                default -> ops("bad-path-id", "dead letter " + pick(List.of("-1", "9223372036854775807", "9223372036854775808",
                        "1e3", "abc", "%00", "0x10", "99999999999999999999")), "POST",
                        "/dead-letters/" + pick(List.of("-1", "9223372036854775807", "9223372036854775808", "1e3", "abc", "%00",
                                "0x10", "99999999999999999999")) + "/" + pick(List.of("retry", "skip")), "", true, 400, 404);
            };
        }

        Case badQuery() {
            Account t = target();
            String base = "/accounts/" + t.id();
            record Q(String path, boolean refuse) {
            }
            List<Q> queries = List.of(
                    new Q(base + "?asOf=yesterday", true), new Q(base + "?asOf=2026-13-45T00:00:00Z", true),
                    new Q(base + "?asOf=%00", true), new Q(base + "?asOf=", false),
                    new Q(base + "?asOf=%2B999999999-12-31T23:59:59Z", false), new Q(base + "?asOf=-999999999-01-01T00:00:00Z", false),
                    new Q(base + "?asOf=1970-01-01T00:00:00Z", false), new Q(base + "?asOf=0000-01-01T00:00:00Z", false),
                    new Q(base + "?asOf=9999999999999999999", true), new Q(base + "/balance?asOf=2026-02-30T00:00:00Z", true),
                    new Q(base + "/balance?asOf=%27%20OR%201%3D1--", true),
                    new Q("/accounts?owner=%00", true), new Q("/accounts?owner=a%00b", true), new Q("/accounts?owner=" + "o".repeat(3000), false),
                    new Q("/accounts?owner=%27%20OR%201%3D1--", false), new Q("/accounts?limit=-1", true), new Q("/accounts?limit=abc", true),
                    new Q("/accounts?limit=1e3", true), new Q("/accounts?limit=99999999999999999999", true),
                    new Q("/accounts?limit=2.5", true), new Q("/accounts?limit=%00", true), new Q("/accounts?limit=0", false),
                    new Q("/accounts?limit=100000", false), new Q("/accounts?after=%00", true), new Q("/accounts?after=%27--", false),
                    new Q("/accounts?limit=1&limit=2", false),
                    new Q(base + "/entries?limit=-5", true), new Q(base + "/entries?limit=abc", true),
                    new Q(base + "/entries?limit=99999999999999999999", true), new Q(base + "/entries?after=abc", false),
                    new Q(base + "/entries?after=-1", false), new Q(base + "/entries?after=%00", true),
                    new Q(base + "/entries?after=99999999999999999999", false),
                    new Q(base + "/daily?from=2026-02-30&to=2026-03-01", true), new Q(base + "/daily?from=abc&to=2026-03-01", true),
                    new Q(base + "/daily?from=%00&to=%00", true), new Q(base + "/daily?from=2026-03-01&to=2026-01-01", false),
                    new Q(base + "/daily?from=0000-01-01&to=0000-01-02", false), new Q(base + "/daily?from=-0001-01-01&to=2026-01-01", false),
                    new Q(base + "/daily?from=1900-01-01&to=2100-12-31", false), new Q(base + "/daily", false),
                    new Q(base + "/daily?from=2026-01-01T00:00:00Z&to=2026-01-02", false),
                    new Q("/audit?accountId=%00", true), new Q("/audit?actor=%00", true), new Q("/audit?from=garbage", true),
                    new Q("/audit?to=2026-99-01T00:00:00Z", true), new Q("/audit?accountId=%27%20OR%201%3D1--", true),
                    new Q("/audit?actor=%27%20OR%201%3D1--", false), new Q("/audit?actor=" + "x".repeat(3000), false),
                    new Q("/audit?accountId=" + t.id() + "&from=2026-01-01T00:00:00Z&to=1970-01-01T00:00:00Z", false));
            Q query = queries.get(random.nextInt(queries.size()));
            String variant = query.path().replace(t.id(), "{id}");
            return read("bad-query", variant.length() > 100 ? variant.substring(0, 100) + "…" : variant, query.path(), query.refuse(),
                    query.refuse() ? new int[] {400, 404} : new int[0]);
        }

        Case badConsistencyHeaders() {
            Account t = target();
            String path = "/accounts/" + t.id() + pick(List.of("", "/entries", "/balance"));
            String forged = token(t.id() + "@" + pick(List.of("1000000", "9223372036854775807")));
            return switch (random.nextInt(4)) {
                case 0 -> {
                    String wait = pick(List.of("abc", "-1", "1.5", "1e3", "99999999999999999999", "0x10", "5 ms", "%00"));
                    boolean withToken = random.nextBoolean();
                    Case c = read("bad-consistency-wait", wait + (withToken ? " with a token" : ""), path, true, 400);
                    c.request().headers().add(Map.entry("Consistency-Wait", wait));
                    if (withToken) {
                        c.request().headers().add(Map.entry("Consistency-Token", world.reachedToken()));
                    }
                    yield c;
                }
                case 1 -> {
                    String token = pick(List.of("!!!", "%00", "v1.", "v1.!!!", token("x"), token(t.id() + "@abc"), token("@@@"),
                            token(t.id() + "@-1"), token(t.id() + "@99999999999999999999"), token(","), "v2.abc",
                            "v1." + "A".repeat(6000), token("a%00b@1"), world.reachedToken() + "x", "v1." + Base64.getUrlEncoder()
                                    .encodeToString(new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1})));
                    // One that decodes to an account that is not there may wait like any unreached token: briefly.
                    Case c = read("bad-consistency-token", token.length() > 60 ? token.substring(0, 60) + "…" : token, path, false);
                    c.request().headers().add(Map.entry("Consistency-Token", token));
                    c.request().headers().add(Map.entry("Consistency-Wait", "100"));
                    yield lagging(c);
                }
                case 2 -> {
                    // Well-formed but never reached (or forged): wait briefly, then the documented 503, or a 400.
                    Case c = lagging(read("forged-consistency-token", "an unreached version, Consistency-Wait 100", path, false, 400, 503));
                    c.request().headers().add(Map.entry("Consistency-Token", forged));
                    c.request().headers().add(Map.entry("Consistency-Wait", "100"));
                    yield c;
                }
                default -> {
                    Case c = read("forged-consistency-token", "an unreached version, Consistency-Wait 0", path, false, 400, 503);
                    c.request().headers().add(Map.entry("Consistency-Token", forged));
                    c.request().headers().add(Map.entry("Consistency-Wait", "0"));
                    yield lagging(c);
                }
            };
        }

        Case wrongMethod() {
            Account t = target();
            String body = "{\"amount\":" + q(t.validAmount()) + "}";
            return switch (random.nextInt(9)) {
                case 0 -> command("wrong-method", "DELETE", "DELETE", movement(t), body, true, 405);
                case 1 -> command("wrong-method", "PUT", "PUT", movement(t), body, true, 405);
                case 2 -> command("wrong-method", "PATCH", "PATCH", "/accounts/" + t.id() + "/freeze", "{}", true, 405);
                case 3 -> command("wrong-method", "GET", "GET", movement(t), null, true, 405);
                case 4 -> command("wrong-method", "PUT", "PUT", "/transfers", transfer(t, otherTarget(t), t.validAmount()), true, 405);
                case 5 -> {
                    Case c = read("wrong-method", "POST", "/accounts/" + t.id(), true, 405);
                    yield withBody(c, "POST", body);
                }
                case 6 -> withBody(read("wrong-method", "DELETE", "/transfers/" + world.transferId(), true, 405), "DELETE", null);
                case 7 -> ops("wrong-method", pick(List.of("DELETE", "PUT", "PATCH")), pick(List.of("DELETE", "PUT", "PATCH")),
                        pick(List.of("/projections/accounts", "/reconciliation", "/dead-letters", "/projections")), "{}", true, 405);
                default -> ops("wrong-method", "GET", "GET", "/projections/accounts/rebuild", null, true, 405);
            };
        }

        Case wrongContentTypeOrAccept() {
            Account t = target();
            String body = "{\"amount\":" + q(t.validAmount()) + "}";
            switch (random.nextInt(5)) {
                case 0, 1 -> {
                    String type = pick(List.of("text/plain", "application/xml", "application/x-www-form-urlencoded",
                            "multipart/form-data; boundary=x", "image/png", "text/html"));
                    Case c = command("wrong-content-type", type, "POST", movement(t), body, true, 415);
                    replace(c, "Content-Type", type);
                    return c;
                }
                case 2 -> {
                    String accept = pick(List.of("text/csv", "image/png", "application/xml", "text/html"));
                    Case c = command("bad-accept", accept, "POST", movement(t), body, true, 406);
                    c.request().headers().add(Map.entry("Accept", accept));
                    return c;
                }
                case 3 -> {
                    String accept = pick(List.of("text/csv", "image/png", "application/xml"));
                    Case c = read("bad-accept", accept, "/accounts/" + t.id() + pick(List.of("", "/entries", "/balance")), true, 406);
                    c.request().headers().add(Map.entry("Accept", accept));
                    return c;
                }
                default -> {
                    // Odd but arguably acceptable: against a sink, any answer but a 5xx will do.
                    Account s = sink();
                    String type = pick(List.of("", "APPLICATION/JSON", "application/json; charset=iso-8859-1",
                            "application/json; charset=utf-16", "application/vnd.api+json", "application/json, text/plain",
                            "application/merge-patch+json", "application/json;;;", "*/*", "none"));
                    Case c = command("odd-content-type (sink)", type, "POST", movement(s), "{\"amount\":" + q(s.validAmount()) + "}", false);
                    replace(c, "Content-Type", type.equals("none") ? null : type);
                    if (random.nextBoolean()) {
                        c.request().headers().add(Map.entry("Accept", pick(List.of("///", "*/*;q=0", "application/problem+json",
                                "application/json;q=0, */*;q=0"))));
                    }
                    return c;
                }
            }
        }

        Case oversized() {
            Account t = target();
            switch (random.nextInt(6)) {
                case 0, 1 -> {
                    int size = pick(List.of(70_000, 200_000, 1_000_000, 70_000, 100_000));
                    String body = "{\"amount\":" + q(t.validAmount()) + ",\"reference\":\"" + "r".repeat(size) + "\"}";
                    return command("oversized-body", size / 1000 + " kB", "POST", random.nextBoolean() ? movement(t) : "/accounts",
                            random.nextBoolean() ? body : "{\"accountId\":\"" + fresh() + "\",\"owner\":\"" + "o".repeat(size)
                                    + "\",\"currency\":\"USD\"}", true, 413);
                }
                case 2 -> {
                    int length = pick(List.of(10_000, 20_000, 70_000));
                    return read("oversized-uri", length / 1000 + " kB path", "/accounts/" + "a".repeat(length), true, 400, 404, 414);
                }
                case 3 -> {
                    // A long query a server may ignore: read-only, so any answer but a 5xx will do
                    int length = pick(List.of(10_000, 30_000));
                    return read("oversized-uri", length / 1000 + " kB query", "/accounts/" + t.id() + "?x=" + "y".repeat(length),
                            false, 400, 414);
                }
                case 4 -> {
                    Case c = read("oversized-headers", "one 20 kB header", "/accounts/" + t.id(), false);
                    c.request().headers().add(Map.entry("X-Padding", "p".repeat(20_000)));
                    return c;
                }
                default -> {
                    Case c = read("oversized-headers", "200 headers", "/accounts/" + t.id(), false);
                    for (int i = 0; i < 200; i++) {
                        c.request().headers().add(Map.entry("X-Padding-" + i, "p".repeat(100)));
                    }
                    return c;
                }
            }
        }

        Case badToken() {
            String name = pick(List.copyOf(world.badTokens().keySet()));
            String header = world.badTokens().get(name);
            Case c = validRequestOnTarget("bad-token", name, 401);
            replace(c, "Authorization", header);
            return c;
        }

        Case notYours() {
            return switch (random.nextInt(6)) {
                case 0, 1 -> {
                    Case c = validRequestOnTarget("not-yours", "another owner's customer", 404);
                    if (c.port() == world.projectionPort()) {
                        yield withToken(c, world.strangerToken(), 403);
                    }
                    yield withToken(c, world.strangerToken(), 404);
                }
                case 2 -> withToken(validRequestOnTarget("forbidden-role", "a token with no known role", 403), world.noRoleToken(), 403);
                case 3 -> withToken(command("forbidden-role", "an auditor sends a command", "POST", movement(target()),
                        "{\"amount\":" + q(target().validAmount()) + "}", true, 403), world.auditorToken(), 403);
                case 4 -> withToken(ops("forbidden-role", "a teller rebuilds", "POST", "/projections/accounts/rebuild", "", true, 403),
                        world.tellerToken(), 403);
                default -> {
                    Case c = random.nextBoolean()
                            ? read("not-yours", "a customer lists another owner", "/accounts?owner=" + target().owner(), true, 403)
                            : command("not-yours", "a customer opens for another owner", "POST", "/accounts",
                            "{\"accountId\":\"" + fresh() + "\",\"owner\":\"" + target().owner() + "\",\"currency\":\"USD\"}", true, 403);
                    yield withToken(c, world.strangerToken(), 403);
                }
            };
        }

        Case badCommandHeaders() {
            Account t = target();
            String body = "{\"amount\":" + q(t.validAmount()) + "}";
            if (random.nextInt(3) > 0) {
                // Against a target: an If-Match that cannot match its version must refuse the command.
                String ifMatch = pick(List.of("\"999999\"", "\"0\"", "\"-1\"", "abc", "\"abc\"", "\"99999999999999999999999\"",
                        "\"1.0\"", "\"\"", "W/\"999\"", "999999", "\"999\", \"998\"", "\"\u00e9\""));
                Case c = command("bad-if-match", ifMatch, "POST", random.nextBoolean() ? movement(t) : action(t),
                        random.nextBoolean() ? body : "{}", true, 400, 412, 422);
                c.request().headers().add(Map.entry("If-Match", ifMatch));
                return c;
            }
            Account s = sink();
            String name = pick(List.of("Idempotency-Key", "Idempotency-Key", "Correlation-Id", "Consistency-Token", "Actor"));
            String value = pick(List.of("", " ", "k".repeat(10_000), "\u00e9\u00ff\u00fe", "key with spaces", "\t", "a,b", "%00",
                    "'; DROP TABLE idempotency;--", "\u0085"));
            Case c = command("odd-command-header (sink)", name + ": " + show(value.length() > 40 ? value.length() + " chars" : value),
                    "POST", movement(s), "{\"amount\":" + q(s.validAmount()) + "}", false);
            c.request().headers().add(Map.entry(name, value));
            return c;
        }

        /** Replays of the set-up's transfer and idempotent deposit: a replay appends nothing, another body is refused. */
        Case reusedIds() {
            Account from = world.targets().get(0);
            Account to = world.targets().get(1);
            return switch (random.nextInt(6)) {
                case 0 -> command("reused-transfer-id", "same id, same body, no Idempotency-Key", "POST", "/transfers",
                        world.transferBody(), false, 201).with(false, true);
                case 1 -> {
                    Case c = command("reused-transfer-id", "same id, same body, a new Idempotency-Key", "POST", "/transfers",
                            world.transferBody(), false, 201);
                    c.request().headers().add(Map.entry("Idempotency-Key", "hostile-" + seed + "-" + index));
                    yield c.with(false, true);
                }
                case 2 -> command("reused-transfer-id", "same id, another amount", "POST", "/transfers",
                        "{\"transferId\":\"" + world.transferId() + "\",\"fromAccountId\":\"" + from.id() + "\",\"toAccountId\":\""
                                + to.id() + "\",\"amount\":\"2.00\"}", true, 409);
                case 3 -> command("reused-transfer-id", "same id, from another source", "POST", "/transfers",
                        "{\"transferId\":\"" + world.transferId() + "\",\"fromAccountId\":\"" + to.id() + "\",\"toAccountId\":\""
                                + from.id() + "\",\"amount\":\"1.00\"}", true, 409);
                case 4 -> {
                    Case c = command("reused-idempotency-key", "same key, same body", "POST", movement(from, "deposits"),
                            world.idempotentBody(), false, 201);
                    c.request().headers().add(Map.entry("Idempotency-Key", world.idempotencyKey()));
                    yield c.with(false, true);
                }
                default -> {
                    Case c = command("reused-idempotency-key", "same key, another body", "POST", movement(from, "deposits"),
                            "{\"amount\":\"6.00\"}", true, 422);
                    c.request().headers().add(Map.entry("Idempotency-Key", world.idempotencyKey()));
                    yield c;
                }
            };
        }

        Case unknownRoute() {
            int port = pick(List.of(world.commandPort(), world.queryPort(), world.projectionPort()));
            String path = pick(List.of("/", "/nope", "/accounts/" + target().id() + "/teleport", "/accounts/" + target().id()
                    + "/entries/extra/deeper", "/admin", "/.env", "/%2e%2e/%2e%2e/etc/passwd", "/transfers/x/y/z", "/q/nope"));
            String method = pick(List.of("GET", "POST"));
            Case c = make("unknown-route", path.replace(target().id(), "{id}"), port, method, path, method.equals("POST") ? "{}" : null,
                    true, 400, 404, 405);
            return c;
        }

        /**
         * Hold commands with one thing made wrong, all on the targets: placements (hostile
         * reference, metadata, holdId, amount, expiresIn), and captures and releases of the open
         * hold every target has (hostile amount, reason, or hold id in the path), which a wrongly
         * accepted one would end; and the set-up's placement sent again.
         */
        Case hostileHold() {
            Account t = target();
            String holds = "/accounts/" + t.id() + "/holds";
            String open = holds + "/" + world.holdId();
            String ch = pick(CONTROL);
            String text = pick(List.of(ch, "a" + ch + "b", "ok" + ch, ch.repeat(50)));
            String control = String.format("U+%04X", (int) ch.charAt(0));
            // Free text that must be refused, as a JSON value: [json, what it is]
            List<String[]> badText = List.of(new String[] {q(text), control + " escaped"},
                    new String[] {"\"" + text + "\"", control + " raw (not valid JSON)"},
                    new String[] {q("r".repeat(201)), "201 characters"}, new String[] {"\"a\\ud800b\"", "an unpaired surrogate"},
                    new String[] {"5", "a number"}, new String[] {"true", "a boolean"}, new String[] {"{}", "an object"},
                    new String[] {"[\"r\"]", "an array"});
            switch (random.nextInt(10)) {
                case 0 -> {
                    String[] v = pick(badText);
                    return command("hold-reference", v[1], "POST", holds, placement(t, "reference", v[0]), true);
                }
                case 1 -> {
                    String[] v = pick(badText);
                    StringBuilder many = new StringBuilder("{");
                    for (int i = 0; i <= 32; i++) {
                        many.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":\"v\"");
                    }
                    String[] m = pick(List.of(new String[] {"{\"k\":" + v[0] + "}", "a value: " + v[1]},
                            new String[] {"{" + q(text) + ":\"v\"}", "a key: " + control}, new String[] {"{\"\":\"v\"}", "an empty key"},
                            new String[] {"{" + q("k".repeat(65)) + ":\"v\"}", "a 65-character key"},
                            new String[] {"{\"k\":null}", "a null value"}, new String[] {many + "}", "33 entries"},
                            new String[] {"\"x\"", "a string"}, new String[] {"[\"a\"]", "an array"}, new String[] {"5", "a number"}));
                    return command("hold-metadata", m[1], "POST", holds, placement(t, "metadata", m[0]), true);
                }
                case 2 -> {
                    String id = pick(List.of("", " ", "a b", "'; DROP TABLE holds;--", "<script>", "${jndi:ldap://x/a}",
                            "a".repeat(65), "c".repeat(5000), "-x", ".x", "hold\u202e", "hold\u200b", "💸", "ÄÖÜ", "a/b", "a?b",
                            "a%00b", world.holdId() + " ", "h" + ch));
                    String json = random.nextInt(5) == 0 ? pick(List.of("7", "true", "[\"h\"]", "{}")) : q(id);
                    return command("hold-id-in-body", show(json), "POST", holds, "{\"holdId\":" + json + ",\"amount\":"
                            + q(t.validAmount()) + "}", true);
                }
                case 3 -> {
                    String amount = pick(t.badAmounts());
                    String json = random.nextInt(6) == 0 ? pick(List.of(t.validAmount(), "true", "[" + q(t.validAmount()) + "]",
                            "{}", "null")) : q(amount);
                    return command("hold-amount", t.currency() + " " + show(json), "POST", holds,
                            "{\"holdId\":\"" + fresh() + "\",\"amount\":" + json + "}", true);
                }
                case 4 -> {
                    // Zero, negative, past the maximum (P30D), not ISO-8601, too large to be a duration, not a string.
                    String json = pick(List.of(q("PT0S"), q("P0D"), q("-PT1H"), q("-P1D"), q("PT-1S"), q("P31D"), q("P30DT1S"),
                            q("PT720H0.001S"), q("soon"), q(""), q(" "), q("P"), q("PT"), q("P1Y"), q("P1M"), q("1h"), q("3600"),
                            q("PT1H "), q("PT1H\u0000"), q("ＰＴ１Ｈ"), q("P999999999999999999D"), q("PT9223372036854775807S"),
                            q("PT99999999999999999999S"), q("PT0.0000000001S"), "3600", "true", "{}", "[\"PT1H\"]"));
                    return command("hold-expires-in", show(json), "POST", holds, placement(t, "expiresIn", json), true, 400);
                }
                case 5 -> {
                    String more = twice(t.validAmount());
                    String json = random.nextInt(6) == 0 ? pick(List.of(q(more), t.validAmount(), "true", "{}", "[]"))
                            : q(pick(t.badAmounts()));
                    String body = random.nextInt(10) == 0 ? pick(List.of("[]", "7", "\"all\"", "null")) : "{\"amount\":" + json + "}";
                    return command("capture-amount", t.currency() + " " + show(body), "POST", open + "/capture", body, true);
                }
                case 6 -> {
                    String[] v = pick(badText);
                    String body = random.nextInt(10) == 0 ? pick(List.of("[]", "7", "\"r\"", "null")) : "{\"reason\":" + v[0] + "}";
                    return command("release-reason", random.nextInt(10) == 0 ? show(body) : v[1], "POST", open + "/release",
                            body, true);
                }
                case 7, 8 -> {
                    String id = random.nextInt(3) == 0 ? world.holdId() + pick(TARGET_SUFFIXES)
                            : random.nextInt(5) == 0 ? world.holdId().toUpperCase() : pick(BAD_PATH_IDS);
                    String action = pick(List.of("capture", "release"));
                    // A well-formed id the target does not have is 404, but a capture on the frozen target may be 422 first.
                    int[] statuses = t.equals(world.targets().get(5)) ? new int[] {400, 404, 422} : new int[] {400, 404};
                    return command("hold-id-in-path", id.length() > 80 ? id.length() + " characters" : id, "POST",
                            holds + "/" + id + "/" + action, "{}", true, statuses);
                }
                default -> {
                    // The set-up's placement again (not on the frozen target, where only the replay would be allowed).
                    Account a = pick(world.targets().subList(0, 5));
                    String again = openHoldBody(world.holdId(), a);
                    String path = "/accounts/" + a.id() + "/holds";
                    return switch (random.nextInt(5)) {
                        case 0 -> command("reused-hold-id", "same id, same body", "POST", path, again, false, 201).with(false, true);
                        case 1 -> {
                            Case c = command("reused-hold-id", "same id, same body, a new Idempotency-Key", "POST", path, again,
                                    false, 201);
                            c.request().headers().add(Map.entry("Idempotency-Key", "hostile-" + seed + "-" + index));
                            yield c.with(false, true);
                        }
                        case 2 -> command("reused-hold-id", "same id, another amount", "POST", path,
                                again.replace("\"amount\":\"" + a.validAmount(), "\"amount\":\"" + twice(a.validAmount())), true, 409);
                        case 3 -> command("reused-hold-id", "same id, another expiry", "POST", path, again.replace("P30D", "P29D"),
                                true, 409);
                        default -> command("reused-hold-id", "same id, another reference", "POST", path,
                                again.replace("hostile input test", "hostile input test 2"), true, 409);
                    };
                }
            }
        }

        String twice(String amount) {
            return new BigDecimal(amount).multiply(BigDecimal.TWO).toPlainString();
        }

        /** A valid placement on {@code t} with a fresh hold id and {@code field} set to {@code json}. */
        String placement(Account t, String field, String json) {
            return "{\"holdId\":\"" + fresh() + "\",\"amount\":" + q(t.validAmount()) + ",\"" + field + "\":" + json + "}";
        }

        /** Odd but valid Unicode and injection strings in a hold's reference and metadata: may be accepted, on the sinks only. */
        Case oddTextHoldOnSinks() {
            Account s = sink();
            String text = random.nextBoolean() ? pick(ODD_UNICODE) : pick(INJECTION);
            String name = text.length() > 40 ? "a 5000-character string" : show(q(text));
            String fields = switch (random.nextInt(3)) {
                case 0 -> "\"reference\":" + q(text);
                case 1 -> "\"metadata\":{" + q(text.length() > 64 ? "k" : text) + ":" + q(text) + "}";
                default -> "\"reference\":" + q(text) + ",\"metadata\":{\"jobId\":" + q(text) + "}";
            };
            return command(ODD_TEXT_HOLD, name, "POST", "/accounts/" + s.id() + "/holds",
                    "{\"holdId\":\"" + fresh() + "\",\"amount\":" + q(s.validAmount()) + "," + fields + "}", false);
        }

        // ---- building blocks -----------------------------------------------------------------

        /** A request the caller's token alone must stop: a valid command, read or operation on a target. */
        Case validRequestOnTarget(String family, String variant, int status) {
            Account t = target();
            return switch (random.nextInt(9)) {
                case 0, 1 -> command(family, variant, "POST", movement(t), "{\"amount\":" + q(t.validAmount()) + "}", true, status);
                case 2 -> command(family, variant, "POST", "/transfers", transfer(t, otherTarget(t), t.validAmount()), true, status);
                case 3 -> command(family, variant, "POST", "/accounts/" + t.id() + "/" + pick(List.of("freeze", "close")), "{}", true,
                        status);
                case 4, 5 -> read(family, variant, "/accounts/" + t.id() + pick(List.of("", "/entries", "/balance")), true, status);
                case 6 -> read(family, variant, "/transfers/" + world.transferId(), true, status);
                case 7 -> ops(family, variant, "GET", pick(List.of("/projections", "/dead-letters", "/reconciliation")), null, true, status);
                default -> ops(family, variant, "POST", "/projections/accounts/rebuild", "", true, status);
            };
        }

        Case fromVariant(String family, String[] v, Account t) {
            String kind = v[0];
            String body = v[1];
            String variant = v.length > 2 ? v[2] : show(body);
            return switch (kind) {
                case "m" -> command(family, variant, "POST", movement(t), body, true);
                case "o" -> command(family, variant, "POST", "/accounts", body, true);
                case "t" -> command(family, variant, "POST", "/transfers", body, true);
                case "f" -> command(family, variant, "POST", action(t), body, true);
                default -> command(family, variant, "POST", "/accounts/" + t.id() + "/close", body, true);
            };
        }

        Case command(String family, String variant, String method, String path, Object body, boolean refuse, int... expected) {
            return make(family, variant, world.commandPort(), method, path, body, refuse, expected);
        }

        Case read(String family, String variant, String path, boolean refuse, int... expected) {
            return make(family, variant, world.queryPort(), "GET", path, null, refuse, expected);
        }

        Case ops(String family, String variant, String method, String path, Object body, boolean refuse, int... expected) {
            return make(family, variant, world.projectionPort(), method, path, body, refuse, expected);
        }

        Case make(String family, String variant, int port, String method, String path, Object body, boolean refuse, int... expected) {
            List<Map.Entry<String, String>> headers = new ArrayList<>();
            headers.add(Map.entry("Authorization", world.staffTokens().get(index % world.staffTokens().size())));
            byte[] bytes = body == null ? null : body instanceof byte[] raw ? raw : ((String) body).getBytes(StandardCharsets.UTF_8);
            if (bytes != null) {
                headers.add(Map.entry("Content-Type", "application/json"));
            }
            String service = port == world.commandPort() ? ":8081" : port == world.queryPort() ? ":8082" : ":8083";
            String endpoint = method + " " + service + " " + template(path);
            Set<Integer> allowed = new java.util.TreeSet<>();
            for (int status : expected) {
                allowed.add(status);
            }
            return new Case(index, family, variant, endpoint, port, new RawHttp.Request(method, path, headers, bytes), refuse,
                    allowed, false, false);
        }

        Case lagging(Case c) {
            return c.with(true, false);
        }

        Case withBody(Case c, String method, String body) {
            List<Map.Entry<String, String>> headers = c.request().headers();
            if (body != null) {
                headers.add(Map.entry("Content-Type", "application/json"));
            }
            return new Case(c.index(), c.family(), c.variant(), c.endpoint().replaceFirst("^GET", method), c.port(),
                    new RawHttp.Request(method, c.request().target(), headers, body == null ? null : body.getBytes(StandardCharsets.UTF_8)),
                    c.mustRefuse(), c.expected(), c.lagAllowed(), false);
        }

        Case withToken(Case c, String token, int status) {
            replace(c, "Authorization", "Bearer " + token);
            return new Case(c.index(), c.family(), c.variant(), c.endpoint(), c.port(), c.request(), true, Set.of(status), false, false);
        }

        void replace(Case c, String name, String value) {
            c.request().headers().removeIf(h -> h.getKey().equals(name));
            if (value != null) {
                c.request().headers().add(Map.entry(name, value));
            }
        }

        String template(String path) {
            String p = path.split("\\?")[0];
            for (Account a : world.targets()) {
                p = p.replace(a.id(), "{id}");
            }
            for (Account a : world.sinks()) {
                p = p.replace(a.id(), "{sink}");
            }
            p = p.replace(world.transferId(), "{transferId}");
            int holds = p.indexOf("/holds/");
            if (holds >= 0) {
                String rest = p.substring(holds + "/holds/".length());
                int slash = rest.indexOf('/');
                String id = slash < 0 ? rest : rest.substring(0, slash);
                p = p.substring(0, holds) + "/holds/" + (id.equals(world.holdId()) ? "{holdId}" : "{bad}")
                        + (slash < 0 ? "" : rest.substring(slash));
            }
            if (p.startsWith("/accounts/") && !p.startsWith("/accounts/{")) {
                p = p.replaceFirst("^/accounts/[^/]*", "/accounts/{bad}");
            } else if (p.startsWith("/transfers/") && !p.startsWith("/transfers/{")) {
                p = p.replaceFirst("^/transfers/[^/]*", "/transfers/{bad}");
            } else if (p.startsWith("/projections/") && !p.startsWith("/projections/accounts")) {
                p = p.replaceFirst("^/projections/[^/]*", "/projections/{bad}");
            } else if (p.startsWith("/dead-letters/")) {
                p = p.replaceFirst("^/dead-letters/[^/]*", "/dead-letters/{bad}");
            }
            return p.length() > 60 ? p.substring(0, 60) + "…" : p;
        }

        String movement(Account t) {
            return movement(t, pick(List.of("deposits", "withdrawals")));
        }

        String movement(Account t, String kind) {
            return "/accounts/" + t.id() + "/" + kind;
        }

        /** Not on the first two targets: the replays of the set-up's transfer between them stay meaningful. */
        String action(Account t) {
            Account aimed = t.equals(world.targets().get(0)) || t.equals(world.targets().get(1)) ? world.targets().get(5) : t;
            return "/accounts/" + aimed.id() + "/" + pick(List.of("freeze", "unfreeze", "close"));
        }

        String transfer(Account from, Account to, String amount) {
            return "{\"fromAccountId\":\"" + from.id() + "\",\"toAccountId\":\"" + to.id() + "\",\"amount\":\"" + amount + "\"}";
        }

        Account target() {
            return pick(world.targets());
        }

        Account otherTarget(Account t) {
            // same currency where there is one, so that only the one broken thing is wrong
            return world.targets().stream().filter(a -> a.currency().equals(t.currency()) && !a.id().equals(t.id())).findFirst()
                    .orElse(world.targets().get(0).id().equals(t.id()) ? world.targets().get(1) : world.targets().get(0));
        }

        Account sink() {
            return pick(world.sinks());
        }

        Account otherSink(Account s) {
            return world.sinks().stream().filter(a -> a.currency().equals(s.currency()) && !a.id().equals(s.id())).findFirst()
                    .orElse(s);
        }

        String fresh() {
            return "hxo-" + Long.toHexString(seed & 0xffffff) + "-" + index + "-" + random.nextInt(1000);
        }

        String token(String plain) {
            return "v1." + Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
        }

        <T> T pick(List<T> values) {
            return values.get(random.nextInt(values.size()));
        }

    }

    private static String[] at(String[] variant, String where) {
        return new String[] {variant[0], variant[1], where};
    }

    private static String[] m(String body) {
        return new String[] {"m", body};
    }

    private static String[] o(String body) {
        return new String[] {"o", body};
    }

    private static String[] tr(String body) {
        return new String[] {"t", body};
    }

    private static String[] f(String body) {
        return new String[] {"f", body};
    }

    private static String[] c(String body) {
        return new String[] {"c", body};
    }

    /** A JSON string literal. */
    static String q(String text) {
        StringBuilder json = new StringBuilder("\"");
        for (char ch : text.toCharArray()) {
            switch (ch) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                default -> {
                    if (ch < 0x20 || ch == 0x7f) {
                        json.append(String.format("\\u%04x", (int) ch));
                    } else {
                        json.append(ch);
                    }
                }
            }
        }
        return json.append('"').toString();
    }

    /** Printable, short: control characters as \\uXXXX, long text cut. */
    static String show(String text) {
        StringBuilder shown = new StringBuilder();
        for (char ch : text.toCharArray()) {
            shown.append(ch < 0x20 || ch == 0x7f || (ch >= 0x80 && ch < 0xa0) || ch == 0x2028 || ch == 0x202e
                    ? String.format("\\u%04x", (int) ch) : String.valueOf(ch));
        }
        return shown.length() > 80 ? shown.substring(0, 80) + "… (" + text.length() + " chars)" : shown.toString();
    }
}
