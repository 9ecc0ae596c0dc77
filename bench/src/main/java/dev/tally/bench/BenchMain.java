package dev.tally.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * {@code ./run bench}: every measure next to its raw baseline, taken in the same run on the same box,
 * so that the ratios survive a noisy machine. See bench/README.md.
 */
public final class BenchMain {

    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        Locale.setDefault(Locale.ROOT);
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            System.out.print(BenchOptions.USAGE);
            return;
        }
        Path root = Path.of(System.getProperty("tally.root", ".")).toAbsolutePath().normalize();
        BenchOptions options;
        try {
            options = BenchOptions.parse(args, root);
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage());
            System.err.print(BenchOptions.USAGE);
            System.exit(2);
            return;
        }
        Wrk.ensureInstalled();
        java.nio.file.Files.createDirectories(options.out);
        System.out.println("bench: " + (options.external() ? "against the running stack at " + options.commandUrl
                : "starting its own stack (data in " + options.out.resolve("stack") + ")") + ", " + options.settings());
        try (Target target = options.external() ? Target.running(options, root)
                : Target.start(root, options.out.resolve("stack"))) {
            Report report = new Report(Machine.describe(target), options.commandLine);
            try {
                new Suite(options, target, report).run();
            } catch (Exception | Error e) {
                report.note("the run stopped early: " + e);
                e.printStackTrace();
                finish(report, options);
                System.exit(1);
            }
            finish(report, options);
        }
        // Kafka clients' and the stack's threads are all closed, but a daemon or two may linger.
        System.exit(0);
    }

    private static void finish(Report report, BenchOptions options) {
        try {
            report.raw("loadAverageAtEnd", java.nio.file.Files.readString(Path.of("/proc/loadavg")).strip());
        } catch (java.io.IOException ignored) {
            // not Linux: the machine line says so already
        }
        report.write(options.out, options.settings());
        System.out.println();
        System.out.println("Machine: " + report.machineLine());
        System.out.println("Command: " + options.commandLine);
        System.out.println();
        System.out.print(report.table());
        System.out.println();
        System.out.println("bench: wrote " + options.out.resolve("report.md") + " and " + options.out.resolve("report.json"));
    }

    /** The measures, in an order where each one's load does not disturb the next one's baseline. */
    static final class Suite {
        private final BenchOptions o;
        private final Target target;
        private final Report report;
        private final CommandTopic topic;
        private final KafkaBaselines kafka;
        private final Wrk wrk;
        private final Pgbench pgbench;
        private final Projections projections;
        private final String run = Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36);
        private final List<String> accounts;
        private final String hot;
        private final String few;
        private java.time.Instant asOf;

        Suite(BenchOptions o, Target target, Report report) {
            this.o = o;
            this.target = target;
            this.report = report;
            this.topic = new CommandTopic(target.bootstrap);
            this.kafka = new KafkaBaselines(target.bootstrap);
            this.wrk = new Wrk(o.out);
            this.pgbench = new Pgbench(target.jdbcUrl, target.pgUser, target.pgPassword, o.out);
            this.projections = new Projections(target.projectionUrl, target.authorization(), target.jdbcUrl,
                    target.pgUser, target.pgPassword);
            // Ids unique to this run: against a running stack, earlier runs' accounts exist.
            this.accounts = IntStream.range(0, 1000).mapToObj(i -> "bench-" + run + "-" + i).toList();
            this.hot = "bench-" + run + "-hot";
            this.few = "bench-" + run + "-few";
        }

        void run() throws Exception {
            kafka.createTopics();
            try (Rss rss = new Rss(target::pids)) {
                Thread.sleep(3000);
                Map<String, Long> idle = rss.now();
                report.raw("rssIdleKb", idle);
                setUp();
                rss.resetPeaks();
                if (o.runs("write")) {
                    writeModelAlone();
                }
                KafkaBaselines.EndToEnd e2e = o.runs("http") || o.runs("open") || o.runs("raw")
                        ? endToEnd() : null;
                if (o.runs("http")) {
                    closedLoop(e2e, target.commandAuth());
                }
                if (o.runs("open")) {
                    openLoop(e2e);
                }
                if (o.runs("transfers")) {
                    transfers();
                }
                if (o.runs("raw")) {
                    readAfterWrite(e2e);
                }
                if (o.runs("http") && target.ownStack()) {
                    System.out.println("bench: restarting the command service with TALLY_AUTH=off");
                    target.commandServiceAuth(false);
                    closedLoop(e2e, false);
                }
                if (o.runs("queries")) {
                    queries();
                }
                if (o.runs("rebuild")) {
                    rebuilds();
                }
                if (o.runs("scaling") && target.ownStack()) {
                    scaling();
                }
                if (o.runs("webhooks")) {
                    webhooks(); // last: its subscription would turn every later deposit into a delivery too
                }
                Map<String, Long> after = rss.now();
                Map<String, Long> peaks = rss.peaks();
                report.raw("rssPeakKb", peaks);
                report.raw("rssAfterKb", after);
                for (String service : idle.keySet()) {
                    report.row("RSS " + service + ": idle → peak during the run → at the end",
                            Rss.mb(idle.get(service)) + " → " + Rss.mb(peaks.get(service)) + " → "
                                    + Rss.mb(after.get(service)), "", "");
                }
            }
        }

        /** 1,000 accounts for the spread load, one that will have a long history and one with ten events. */
        private void setUp() {
            List<String> all = new ArrayList<>(accounts);
            all.add(hot);
            all.add(few);
            CommandTopic.Drain opened = topic.run(all.size(), CommandTopic.opening(all), Duration.ofSeconds(120));
            CommandTopic.Drain deposits = topic.run(9, CommandTopic.depositsOver(List.of(few)), Duration.ofSeconds(60));
            if (opened.accepted() != all.size() || deposits.accepted() != 9) {
                throw new IllegalStateException("setting up accounts failed: " + opened + " " + deposits);
            }
            System.out.println("bench: opened " + all.size() + " accounts through the commands topic");
        }

        private void writeModelAlone() throws Exception {
            // The write model's JVM is as cold as the HTTP path's: a first batch, unmeasured, then the
            // projections drained of it, so the measured batch starts from a quiet, compiled stack.
            CommandTopic.Drain warm = topic.run(Math.max(1000, o.commands / 4), CommandTopic.depositsOver(accounts),
                    Duration.ofSeconds(Math.max(120, o.commands / 500)));
            report.raw("writeModelWarmUp", warm);
            projections.awaitCaughtUp(Duration.ofMinutes(10));
            CommandTopic.Drain drain = topic.run(o.commands, CommandTopic.depositsOver(accounts),
                    Duration.ofSeconds(Math.max(120, o.commands / 500)));
            report.raw("writeModelAlone", drain);
            if (!drain.complete()) {
                report.note("write model alone: only " + (drain.accepted() + drain.rejected()) + " of " + o.commands
                        + " results arrived within the timeout");
            }
            // The projections have been applying those events all along: time to the last one, per projection.
            Map<String, Long> caughtUp = projections.awaitCaughtUp(Duration.ofSeconds(Math.max(300, o.commands / 200)));
            Map<String, Double> live = new LinkedHashMap<>();
            caughtUp.forEach((name, at) -> live.put(name, drain.accepted() / ((at - drain.firstSent()) / 1e9)));
            report.raw("projectionsLiveEventsPerSecond", live);

            KafkaBaselines.ProducerPerf perf = kafka.producerPerformance(Math.max(o.commands, 100_000), 200);
            report.raw("producerPerformance", perf);
            report.row("write model alone: %,d deposits on the commands topic → results committed".formatted(o.commands),
                    "%,.0f commands/s (%.1f s)".formatted(drain.perSecond(), drain.seconds()),
                    "transactional producer %,.0f rec/s (200 B, acks=all, 100 ms transactions)".formatted(perf.perSecond()),
                    Report.ratio(drain.perSecond(), perf.perSecond()));
            if (!live.isEmpty()) {
                var slowest = live.entrySet().stream().min(Map.Entry.comparingByValue()).orElseThrow();
                var fastest = live.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow();
                // Polled every 200 ms: projections that reach lag 0 in the same poll are reported as one.
                String value = fastest.getValue() - slowest.getValue() < 0.01 * fastest.getValue()
                        ? "all %d at %,.0f events/s (lag 0 in the same poll)".formatted(live.size(), slowest.getValue())
                        : "slowest %s %,.0f events/s, fastest %s %,.0f events/s".formatted(slowest.getKey(),
                                slowest.getValue(), fastest.getKey(), fastest.getValue());
                report.row("projections live, all six while those commands flow (first command → lag 0)", value,
                        "the write model's %,.0f events/s feeding them".formatted(drain.perSecond()),
                        Report.ratio(slowest.getValue(), drain.perSecond()));
            }
            if (caughtUp.size() < Projections.TABLES.size()) {
                report.note("projections not caught up within the timeout: " + projections.lags());
            }

            CommandTopic.Drain hotDrain = topic.run(o.hotEvents, CommandTopic.depositsOver(List.of(hot)),
                    Duration.ofSeconds(Math.max(120, o.hotEvents / 200)));
            asOf = hotDrain.halfwayAt();
            report.raw("writeModelOneAccount", hotDrain);
            report.row("write model alone, one account (one partition): %,d deposits".formatted(o.hotEvents),
                    "%,.0f commands/s".formatted(hotDrain.perSecond()), "", "");
        }

        private KafkaBaselines.EndToEnd endToEnd() {
            KafkaBaselines.EndToEnd e2e = kafka.endToEndLatency(o.full ? 10_000 : 2_000, 200);
            report.raw("endToEndLatency", e2e);
            return e2e;
        }

        private List<String> depositPaths() {
            return accounts.stream().map(a -> "/accounts/" + a + "/deposits").toList();
        }

        private static final String DEPOSIT = "{\"amount\":\"1.00\",\"reference\":\"bench\"}";

        private void closedLoop(KafkaBaselines.EndToEnd e2e, boolean auth) {
            String baseline = "Kafka end-to-end (one record produced, acks=all, and consumed) p50 %s, p99 %s ms"
                    .formatted(Wrk.ms(e2e.p50Ms()), Wrk.ms(e2e.p99Ms()));
            // JIT and connection pools warm, so the first step is not a start-up measure.
            wrk.run(target.commandUrl, "POST", depositPaths(), DEPOSIT, target.commandAuthorization(), 16, o.warmup);
            for (int connections : o.connections) {
                Wrk.Result r = wrk.run(target.commandUrl, "POST", depositPaths(), DEPOSIT,
                        target.commandAuthorization(), connections, o.duration);
                report.raw("httpDeposits.auth-" + (auth ? "on" : "off") + ".c" + connections, r);
                report.row("HTTP deposits, closed loop, %d connection%s, auth %s".formatted(connections,
                                connections == 1 ? "" : "s", auth ? "on (JWT)" : "off"), r.summary(),
                        connections == o.connections.getFirst() ? baseline : "",
                        "p50 " + Report.ratio(r.p50(), Math.max(e2e.p50Ms(), 0.5)));
            }
        }

        private void openLoop(KafkaBaselines.EndToEnd e2e) {
            OpenLoop.ensureInstalled();
            OpenLoop h2load = new OpenLoop(o.out);
            List<String> urls = depositPaths().stream().map(p -> target.commandUrl + p).toList();
            for (int rate : o.rates) {
                OpenLoop.Result r = h2load.run(urls, DEPOSIT, target.commandAuthorization(), rate, o.duration);
                report.raw("httpDepositsOpenLoop.r" + rate, r);
                report.row("HTTP deposits, open loop at %,d/s (h2load), auth %s".formatted(rate,
                                target.commandAuth() ? "on (JWT)" : "off"), r.summary(),
                        rate == o.rates.getFirst() ? "Kafka end-to-end p50 %s, p99 %s ms".formatted(
                                Wrk.ms(e2e.p50Ms()), Wrk.ms(e2e.p99Ms())) : "",
                        "p99 " + Report.ratio(r.p99(), Math.max(e2e.p99Ms(), 0.5)));
            }
        }

        /** Transfers between neighbouring accounts (funded by the write-model run): 201 is COMPLETED. */
        private void transfers() {
            List<Wrk.Request> requests = IntStream.range(0, accounts.size()).mapToObj(i -> new Wrk.Request(
                    "/transfers", "{\"fromAccountId\":\"%s\",\"toAccountId\":\"%s\",\"amount\":\"0.01\"}"
                            .formatted(accounts.get(i), accounts.get((i + 1) % accounts.size())))).toList();
            wrk.run(target.commandUrl, "POST", requests, target.commandAuthorization(), 16, 3, true);
            for (int connections : List.of(16, 64)) {
                Wrk.Result r = wrk.run(target.commandUrl, "POST", requests, target.commandAuthorization(), connections,
                        o.duration, true);
                report.raw("transfers.c" + connections, r);
                long completed = r.statuses().getOrDefault("201", 0L);
                report.row("transfers (saga), closed loop, %d connections: completed/s, latency to COMPLETED"
                                .formatted(connections),
                        "%,.0f completed/s (%,d of %,d answered 201), %s".formatted(completed / r.seconds(), completed,
                                r.requests(), r.latencies()), "", "");
            }
        }

        /**
         * Deposits at ~1,000/s from h2load while a probe writes and at once reads the account back with
         * the write's Consistency-Token, and also without one: the difference is the wait.
         */
        private void readAfterWrite(KafkaBaselines.EndToEnd e2e) throws Exception {
            OpenLoop.ensureInstalled();
            OpenLoop h2load = new OpenLoop(o.out);
            List<String> urls = depositPaths().stream().map(p -> target.commandUrl + p).toList();
            int seconds = Math.max(o.duration, 10);
            // Unmeasured first: the deposit, token-read and plain-read paths warm (JIT, connections,
            // the first token verified). Without it the first pair alone took ~2 s, which was the p99.
            new ReadAfterWrite(target).run(accounts.subList(0, 10), Duration.ofSeconds(Math.min(o.warmup, 10)));
            var background = java.util.concurrent.CompletableFuture.supplyAsync(
                    () -> h2load.run(urls, DEPOSIT, target.commandAuthorization(), 1000, seconds));
            ReadAfterWrite.Result probe = new ReadAfterWrite(target).run(accounts.subList(0, 10),
                    Duration.ofSeconds(seconds - 1));
            OpenLoop.Result load = background.get();
            report.raw("readAfterWrite", probe);
            report.raw("readAfterWriteLoad", load);
            report.row("read-after-write: GET with the deposit's Consistency-Token, load %,.0f deposits/s".formatted(
                            load.reached()),
                    "read p50 %s, p99 %s ms (%d pairs, %d lagging 503s; slowest %s ms, pair %d)".formatted(
                            Wrk.ms(probe.withTokenP50()), Wrk.ms(probe.withTokenP99()), probe.pairs(), probe.lagging(),
                            Wrk.ms(probe.slowestMs()), probe.slowestPair() + 1),
                    "the same GET without a token p50 %s, p99 %s ms".formatted(Wrk.ms(probe.withoutTokenP50()),
                            Wrk.ms(probe.withoutTokenP99())),
                    "p99 " + Report.ratio(probe.withTokenP99(), probe.withoutTokenP99()));
        }

        /**
         * Webhook deliveries: a receiver in this JVM subscribed to every deposit of the bench accounts.
         * Latency: HTTP deposits at a steady rate the write model keeps up with (so an event's
         * occurredAt is its acceptance), each delivery's arrival minus its event's occurredAt.
         * Throughput: a burst of deposits through the commands topic (the write model at full
         * speed), deliveries/s from the first command to the last delivery, next to the write model's
         * own rate in that burst and to the receiver called directly.
         */
        private void webhooks() throws Exception {
            OpenLoop.ensureInstalled();
            // A warm write model and projection service (when run alone, nothing else warmed them).
            topic.run(Math.max(1_000, o.commands / 10), CommandTopic.depositsOver(accounts), Duration.ofSeconds(120));
            projections.awaitCaughtUp(Duration.ofMinutes(10));
            try (WebhookDeliveries receiver = new WebhookDeliveries()) {
                String subscription = receiver.subscribe(target.projectionUrl, target.authorization(), CommandTopic.OWNER);
                // Well under what this box sustains over HTTP with deliveries going out (about 140/s
                // measured): at saturation the figure would be queueing, not the delivery path.
                int rate = 50;
                int seconds = Math.max(o.duration, 10);
                List<String> urls = depositPaths().stream().map(p -> target.commandUrl + p).toList();
                long started = System.nanoTime();
                OpenLoop.Result steady = new OpenLoop(o.out).run(urls, DEPOSIT, target.commandAuthorization(), rate, seconds);
                WebhookDeliveries.Result paced = receiver.await(steady.requests() - steady.non2xx(), started,
                        Duration.ofSeconds(120));
                receiver.reset();

                int count = Math.max(5_000, o.commands / 4);
                CommandTopic.Drain drain = topic.run(count, CommandTopic.depositsOver(accounts),
                        Duration.ofSeconds(Math.max(120, count / 200)));
                WebhookDeliveries.Result burst = receiver.await(drain.accepted(), drain.firstSent(),
                        Duration.ofSeconds(Math.max(300, count / 50)));
                WebhookDeliveries.unsubscribe(target.projectionUrl, target.authorization(), subscription);
                double direct = receiver.direct(16, Duration.ofSeconds(5));
                report.raw("webhookSteadyLoad", steady);
                report.raw("webhookSteadyDeliveries", paced);
                report.raw("webhookBurstDeposits", drain);
                report.raw("webhookBurstDeliveries", burst);
                report.raw("webhookReceiverDirectPerSecond", direct);
                if (paced.delivered() < steady.requests() - steady.non2xx() || burst.delivered() < drain.accepted()) {
                    report.note("webhooks: not every delivery arrived within the timeout (%,d of %,d; %,d of %,d)".formatted(
                            paced.delivered(), steady.requests() - steady.non2xx(), burst.delivered(), drain.accepted()));
                }
                report.row("webhooks, steady: HTTP deposits at %,.0f/s, each delivered signed to a receiver on loopback"
                                .formatted(steady.reached()),
                        "latency event accepted → delivered p50 %s, p99 %s, max %s ms (%,d deliveries)".formatted(
                                Wrk.ms(paced.p50Ms()), Wrk.ms(paced.p99Ms()), Wrk.ms(paced.maxMs()), paced.delivered()),
                        "the deposits' own HTTP latency p50 %s, p99 %s ms".formatted(Wrk.ms(steady.p50()), Wrk.ms(steady.p99())),
                        "");
                report.row("webhooks, burst: %,d deposits through the commands topic → deliveries".formatted(drain.accepted()),
                        "%,.0f deliveries/s (first command → last delivery; %,d requests for %,d events)".formatted(
                                burst.perSecond(), burst.requests(), burst.delivered()),
                        "the write model's %,.0f commands/s in that burst; the receiver called directly, 16 at a time: %,.0f requests/s"
                                .formatted(drain.perSecond(), direct),
                        Report.ratio(burst.perSecond(), drain.perSecond()) + " of the write model");
            }
        }

        private void queries() throws Exception {
            if (!Pgbench.available()) {
                report.note("pgbench is not installed: query baselines skipped (apt-get install postgresql-client)");
            }
            projections.awaitCaughtUp(Duration.ofMinutes(10));
            String prefix = "bench-" + run + "-";
            String asOfText = (asOf == null ? java.time.Instant.now() : asOf).toString();
            int c = 64;
            record Query(String name, List<String> paths, String sql) {
            }
            List<String> ids = accounts.stream().map(a -> "/accounts/" + a).toList();
            List<Query> list = List.of(
                    new Query("GET /accounts/{id}", ids, "\\set n random(0, 999)\n"
                            + "SELECT * FROM accounts WHERE account_id = '" + prefix + "' || :n;\n"),
                    new Query("GET /accounts/{id}/entries?limit=50", ids.stream().map(p -> p + "/entries?limit=50").toList(),
                            "\\set n random(0, 999)\nSELECT * FROM entries WHERE account_id = '" + prefix
                                    + "' || :n AND sequence > 0 ORDER BY sequence LIMIT 50;\n"),
                    new Query("GET /accounts/{id}?asOf= on the %,d-event account".formatted(o.hotEvents + 1),
                            List.of("/accounts/" + hot + "?asOf=" + asOfText), asOfSql(hot, asOfText)),
                    new Query("GET /accounts/{id}?asOf= on a 10-event account",
                            List.of("/accounts/" + few + "?asOf=" + asOfText), asOfSql(few, asOfText)),
                    new Query("GET /audit?accountId=&limit=50", accounts.stream()
                            .map(a -> "/audit?accountId=" + a + "&limit=50").toList(),
                            "\\set n random(0, 999)\nSELECT * FROM audit_log WHERE account_id = '" + prefix
                                    + "' || :n ORDER BY occurred_at, event_id LIMIT 50;\n"));
            // A fresh JVM compiles its hot paths in the first tens of thousands of requests (a 60 s warm-up
            // more than doubled GET /accounts/{id} over a 10 s one): warm the shared path, then each query.
            for (Query q : list) {
                wrk.run(target.queryUrl, "GET", q.paths(), null, target.authorization(), 16,
                        q == list.getFirst() ? o.warmup : 2);
            }
            for (Query q : list) {
                Wrk.Result http = wrk.run(target.queryUrl, "GET", q.paths(), null, target.authorization(), c, o.duration);
                report.raw("query." + q.name(), http);
                Pgbench.Result db = Pgbench.available()
                        ? pgbench.run(q.name().replaceAll("[^a-z]", ""), q.sql(), c, o.duration) : null;
                if (db != null) {
                    report.raw("pgbench." + q.name(), db);
                }
                report.row(q.name() + ", " + c + " connections", http.summary(),
                        db == null ? "" : "pgbench same SQL, %d clients: %s".formatted(c, db.summary()),
                        db == null ? "" : Report.ratio(http.perSecond(), db.perSecond()));
                if (q == list.getFirst() && db != null) {
                    accountBaseline = db.perSecond();
                }
            }
            if (target.ownStack()) {
                // What verifying a JWT on every read costs: the same read with the query service's auth off.
                System.out.println("bench: restarting the query service with TALLY_AUTH=off");
                target.queryServiceAuth(false);
                Query first = list.getFirst();
                wrk.run(target.queryUrl, "GET", first.paths(), null, target.queryAuthorization(), 16, o.warmup);
                Wrk.Result http = wrk.run(target.queryUrl, "GET", first.paths(), null, target.queryAuthorization(), c,
                        o.duration);
                report.raw("query.auth-off." + first.name(), http);
                report.row(first.name() + ", " + c + " connections, query service auth off", http.summary(),
                        Double.isNaN(accountBaseline) ? "" : "pgbench as above, %,.0f/s".formatted(accountBaseline),
                        Report.ratio(http.perSecond(), accountBaseline));
            }
        }

        private double accountBaseline = Double.NaN;

        /** The as-of read is two statements: the history row at the instant, and the account's metadata. */
        private static String asOfSql(String account, String instant) {
            return "SELECT * FROM account_history WHERE account_id = '" + account + "' AND occurred_at <= '" + instant
                    + "' ORDER BY occurred_at DESC, sequence DESC LIMIT 1;\n"
                    + "SELECT * FROM accounts WHERE account_id = '" + account + "';\n";
        }

        /**
         * 1, 2 and 3 instances of the command service and of the projection service on this one box:
         * the write model's commands/s through the commands topic (Kafka Streams splits its partitions
         * between the instances), the six projections' events/s in the same drain (their consumer
         * groups split the events topic), and HTTP deposits at 64 connections spread evenly over the
         * command-service instances (one wrk per instance, at once). Each against its one-instance
         * figure: on two cores more processes compete for the same CPU, so the ratio shows the cost of
         * coordination, not the gain real nodes would bring. Back to one instance each at the end.
         */
        private void scaling() throws Exception {
            double[] base = null;
            for (int n = 1; n <= 3; n++) {
                List<String> commandUrls = target.instances(dev.tally.stack.LocalStack.COMMAND_SERVICE, n);
                List<String> projectionUrls = target.instances(dev.tally.stack.LocalStack.PROJECTION_SERVICE, n);
                projections.alsoInstances(projectionUrls.subList(1, projectionUrls.size()));
                // The groups have rebalanced; a first batch, unmeasured, warms the new JVMs and tasks.
                topic.run(Math.max(2_000, o.commands / 10), CommandTopic.depositsOver(accounts), Duration.ofSeconds(180));
                projections.awaitCaughtUp(Duration.ofMinutes(5));
                CommandTopic.Drain drain = topic.run(o.commands, CommandTopic.depositsOver(accounts),
                        Duration.ofSeconds(Math.max(180, o.commands / 300)));
                Map<String, Long> caughtUp = projections.awaitCaughtUp(Duration.ofSeconds(Math.max(300, o.commands / 150)));
                double events = caughtUp.size() < Projections.TABLES.size() ? 0
                        : drain.accepted() / ((java.util.Collections.max(caughtUp.values()) - drain.firstSent()) / 1e9);
                int each = Math.max(1, 64 / n);
                wrkOnEach(commandUrls, each, o.warmup); // a new instance's JIT is cold, as at the suite's start
                List<long[]> before = commandUrls.stream().map(Suite::resultsListener).toList();
                long started = System.nanoTime();
                List<Wrk.Result> results = wrkOnEach(commandUrls, each, o.duration);
                double seconds = (System.nanoTime() - started) / 1e9;
                // Per instance, what its results listener read and decoded while the HTTP load ran.
                List<String> listeners = new ArrayList<>();
                for (int i = 0; i < commandUrls.size(); i++) {
                    long[] after = resultsListener(commandUrls.get(i));
                    listeners.add("%,.0f read/s, %,.0f decoded/s".formatted((after[0] - before.get(i)[0]) / seconds,
                            (after[1] - before.get(i)[1]) / seconds));
                }
                double http = results.stream().mapToDouble(Wrk.Result::perSecond).sum();
                double p99 = results.stream().mapToDouble(Wrk.Result::p99).max().orElse(0);
                long errors = results.stream().mapToLong(Wrk.Result::errors).sum();
                report.raw("scaling.n" + n, Map.of("writeModel", drain, "projectionsCaughtUp", caughtUp,
                        "projectionEventsPerSecond", events, "http", results, "resultsListenerPerInstance", listeners,
                        "loadAverage", java.nio.file.Files.readString(Path.of("/proc/loadavg")).strip()));
                if (n == 1) {
                    base = new double[] {drain.perSecond(), events, http};
                }
                String baseline = n == 1 ? "" : "1 instance: %,.0f commands/s, %,.0f events/s, %,.0f HTTP/s"
                        .formatted(base[0], base[1], base[2]);
                report.row("scaling: %d command-service + %d projection-service instance%s".formatted(n, n, n == 1 ? "" : "s"),
                        ("write model %,.0f commands/s; projections %s; HTTP 64 connections %,.0f/s (p99 ≤ %s ms%s); "
                                + "results listener per instance during HTTP: %s")
                                .formatted(drain.perSecond(), events == 0 ? "not caught up" : "%,.0f events/s".formatted(events),
                                        http, Wrk.ms(p99), errors == 0 ? "" : ", errors " + errors, String.join("; ", listeners)),
                        baseline,
                        n == 1 ? "" : "%s, %s, %s".formatted(Report.ratio(drain.perSecond(), base[0]),
                                Report.ratio(events, base[1]), Report.ratio(http, base[2])));
            }
            target.instances(dev.tally.stack.LocalStack.COMMAND_SERVICE, 1);
            target.instances(dev.tally.stack.LocalStack.PROJECTION_SERVICE, 1);
            projections.alsoInstances(List.of());
            // The Streams group rebalances back to one instance: a batch through it before the next measure.
            topic.run(1_000, CommandTopic.depositsOver(accounts), Duration.ofSeconds(180));
            projections.awaitCaughtUp(Duration.ofMinutes(5));
        }

        /** {read, decoded} of one command-service instance's results listener, from its /q/metrics. */
        private static long[] resultsListener(String commandUrl) {
            try {
                var response = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                                java.net.URI.create(commandUrl + "/q/metrics")).timeout(Duration.ofSeconds(10)).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
                return new long[] {metric(response.body(), "tally_command_results_read_total"),
                        metric(response.body(), "tally_command_results_decoded_total")};
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        private static long metric(String exposition, String name) {
            java.util.regex.Matcher line = java.util.regex.Pattern.compile("(?m)^" + name + "(\\{[^}]*\\})? (\\S+)$")
                    .matcher(exposition);
            return line.find() ? (long) Double.parseDouble(line.group(2)) : 0;
        }

        /** One wrk per command-service instance, all at once, each with {@code connections}. */
        private List<Wrk.Result> wrkOnEach(List<String> commandUrls, int connections, int seconds) {
            List<java.util.concurrent.CompletableFuture<Wrk.Result>> runs = commandUrls.stream()
                    .map(url -> java.util.concurrent.CompletableFuture.supplyAsync(() -> wrk.run(url, "POST",
                            depositPaths(), DEPOSIT, target.commandAuthorization(), connections, seconds),
                            java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()))
                    .toList();
            return runs.stream().map(java.util.concurrent.CompletableFuture::join).toList();
        }

        private void rebuilds() throws Exception {
            projections.awaitCaughtUp(Duration.ofMinutes(10));
            for (String name : Projections.TABLES.keySet()) {
                Projections.Rebuild rebuild = projections.rebuild(name, Duration.ofMinutes(o.full ? 30 : 10));
                report.raw("rebuild." + name, rebuild);
                Projections.Copy copy = projections.copyBaseline(Projections.TABLES.get(name));
                report.raw("copy." + name, copy);
                report.row("rebuild %s over %,d events (%s)".formatted(name, rebuild.applied(), rebuild.status()),
                        "%.1f s, %,.0f events/s → %,d rows".formatted(rebuild.seconds(), rebuild.perSecond(), rebuild.rows()),
                        "COPY of the same %,d rows: %.2f s (%,.0f rows/s)".formatted(copy.rows(), copy.seconds(),
                                copy.rowsPerSecond()),
                        "time " + Report.ratio(rebuild.seconds(), copy.seconds()));
            }
        }
    }
}
