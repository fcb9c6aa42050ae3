package io.nostrex.app;

import io.nostrex.loadtool.RelaySocket;
import io.nostrex.protocol.Event;
import io.nostrex.protocol.Filter;
import io.nostrex.protocol.FilterParser;
import io.nostrex.protocol.Hex;
import io.nostrex.protocol.Json;
import io.nostrex.protocol.message.ClientMessage;
import io.nostrex.protocol.message.MessageCodec;
import io.nostrex.protocol.message.MessageException;
import io.nostrex.protocol.message.RelayMessage;
import io.nostrex.protocol.negentropy.NegItems;
import io.nostrex.protocol.negentropy.Negentropy;
import io.nostrex.protocol.negentropy.NegentropyException;
import io.nostrex.store.Database;
import io.nostrex.store.EventQuery;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code nostrex sync URL}: reconciles this relay's store with another relay's over NIP-77, then
 * fetches what this one lacks (REQ by ids, then judged as a client's EVENT, through Kafka as
 * {@code import} does) and/or sends what the other lacks (EVENT, from this store).
 */
@Command(name = "sync", mixinStandardHelpOptions = true,
        description = {"Reconcile this relay's store (DATABASE_URL) with the relay at URL through",
                "NIP-77 negentropy, then fetch what is missing here (--dir down; stored through",
                "KAFKA_BOOTSTRAP_SERVERS as import does), send what is missing there (--dir up),",
                "or both. The last line is 'synced: H have, N need, F fetched, S sent'."})
final class SyncCommand implements Callable<Integer> {
    enum Direction { down, up, both }

    static final int LOCAL_CAP = 1_000_000;
    static final int IDS_PER_REQ = 500;
    static final Duration WAIT = Duration.ofSeconds(60);

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "URL", description = "the other relay, ws:// or wss://")
    URI url;

    @Option(names = "--filter", paramLabel = "JSON", defaultValue = "{}", description = "the events to reconcile (default: all)")
    String filterText;

    @Option(names = "--dir", defaultValue = "down", description = "down (fetch), up (send) or both (default: ${DEFAULT-VALUE})")
    Direction direction;

    /** What a sync did. */
    record Result(int have, int need, long fetched, long sent) {
        String summary() {
            return "synced: " + have + " have, " + need + " need, " + fetched + " fetched, " + sent + " sent";
        }
    }

    @Override
    public Integer call() throws Exception {
        Filter filter;
        try {
            filter = FilterParser.parse(Json.read(filterText));
        } catch (Exception e) {
            throw new ParameterException(spec.commandLine(), "--filter " + filterText + ": " + e.getMessage());
        }
        Settings s = Settings.fromEnvironment();
        if (s.databaseUrl() == null || (direction != Direction.up && !s.kafka().containsKey("bootstrap.servers"))) {
            throw new ParameterException(spec.commandLine(),
                    "DATABASE_URL (and KAFKA_BOOTSTRAP_SERVERS, to store what is fetched) must name this relay's store");
        }
        try (Database db = Database.connect(s.databaseUrl(), s.databaseUser(), s.databasePassword(), 2)) {
            Result r = sync(new EventQuery(db), s.kafka(), url, filter, direction, System.err,
                    new TerminalProgress(TerminalProgress.terminal()));
            System.err.println(r.summary());
            return 0;
        } catch (SyncException e) {
            System.err.println(TerminalProgress.failure("sync", e));
            return 1;
        }
    }

    static final class SyncException extends Exception {
        SyncException(String message) {
            super(message);
        }
    }

    /** Reconciles, then fetches and/or sends; progress lines go to {@code log}. */
    static Result sync(EventQuery local, Map<String, Object> kafka, URI url, Filter filter, Direction direction,
                       PrintStream log, TerminalProgress progress) throws Exception {
        try (Remote remote = Remote.open(url)) {
            NegItems.Builder items = new NegItems.Builder();
            int n = local.timesAndIds(List.of(filter), LOCAL_CAP, (createdAt, id) -> items.add(createdAt, id));
            if (n > LOCAL_CAP) {
                throw new SyncException("more than " + LOCAL_CAP + " local events match the filter; narrow it");
            }
            Set<String> have = new HashSet<>();
            Set<String> need = new HashSet<>();
            reconcile(remote, new Negentropy(items.build(), 60_000), filter, have, need, progress);
            log.println("reconciled " + n + " local events: " + have.size() + " only here, " + need.size() + " only there");
            long fetched = direction == Direction.up ? 0 : fetch(remote, kafka, need, log, progress);
            long sent = direction == Direction.down ? 0 : send(remote, local, have, log, progress);
            progress.clear();
            return new Result(have.size(), need.size(), fetched, sent);
        }
    }

    private static void reconcile(Remote remote, Negentropy neg, Filter filter, Set<String> have, Set<String> need,
                                  TerminalProgress progress) throws Exception {
        String sub = "sync";
        remote.send(MessageCodec.encode(new ClientMessage.NegOpen(sub, filter, Hex.encode(neg.initiate()))));
        while (true) {
            RelayMessage m = remote.next(x -> x instanceof RelayMessage.NegMsg || x instanceof RelayMessage.NegErr);
            if (m instanceof RelayMessage.NegErr err) {
                throw new SyncException("the other relay refused the reconciliation: " + err.reason());
            }
            Negentropy.Round round;
            try {
                round = neg.reconcile(Hex.decode(((RelayMessage.NegMsg) m).messageHex()));
            } catch (NegentropyException e) {
                throw new SyncException("the other relay's negentropy message: " + e.getMessage());
            }
            have.addAll(round.have());
            need.addAll(round.need());
            if (progress.due() >= 0) {
                progress.show("reconciling: " + have.size() + " only here, " + need.size() + " only there so far");
            }
            if (round.next() == null) {
                remote.send(MessageCodec.encode(new ClientMessage.NegClose(sub)));
                return;
            }
            remote.send(MessageCodec.encode(new ClientMessage.NegMsg(sub, Hex.encode(round.next()))));
        }
    }

    /** REQs the needed ids from the other relay, {@value #IDS_PER_REQ} at a time, and imports them here through Kafka. */
    private static long fetch(Remote remote, Map<String, Object> kafka, Set<String> need, PrintStream log,
                              TerminalProgress progress) throws Exception {
        if (need.isEmpty()) {
            return 0;
        }
        ImportTally tally = new ImportTally(20_000, log);
        long line = 0;
        try (KafkaImportSender sender = new KafkaImportSender(kafka, tally)) {
            List<String> ids = new ArrayList<>(need);
            for (int i = 0; i < ids.size(); i += IDS_PER_REQ) {
                List<String> chunk = ids.subList(i, Math.min(ids.size(), i + IDS_PER_REQ));
                for (Event e : request(remote, chunk)) {
                    if (!tally.sending(++line, e.id(), ImportCommand.STALL_MILLIS)) {
                        tally.giveUp("no answer within " + ImportCommand.STALL_MILLIS / 1000 + " s");
                        throw new SyncException("this relay stopped storing what was fetched");
                    }
                    sender.send(line, e);
                }
                if (progress.due() >= 0) {
                    progress.show("fetching: " + line + " of " + need.size() + " received, " + tally.answered() + " stored here");
                }
            }
            tally.awaitAnswers(ImportCommand.STALL_MILLIS, () -> { });
        }
        log.println("fetched: " + tally.summary());
        return tally.count(ImportTally.Outcome.ACCEPTED) + tally.count(ImportTally.Outcome.DUPLICATE);
    }

    private static List<Event> request(Remote remote, List<String> ids) throws Exception {
        String sub = "fetch";
        Filter byIds = new Filter(Set.copyOf(ids), null, null, null, null, null, ids.size(), null);
        remote.send(MessageCodec.encode(new ClientMessage.Req(sub, List.of(byIds))));
        List<Event> events = new ArrayList<>();
        while (true) {
            RelayMessage m = remote.next(x -> x instanceof RelayMessage.EventMessage || x instanceof RelayMessage.Eose
                    || x instanceof RelayMessage.Closed);
            if (m instanceof RelayMessage.EventMessage e && byIds.ids().contains(e.event().id())) {
                events.add(e.event());
            } else if (m instanceof RelayMessage.Closed c) {
                throw new SyncException("the other relay closed the fetch: " + c.message());
            } else if (m instanceof RelayMessage.Eose) {
                remote.send(MessageCodec.encode(new ClientMessage.Close(sub)));
                return events;
            }
        }
    }

    /** Sends the events only this relay has to the other one; returns how many it accepted. */
    private static long send(Remote remote, EventQuery local, Set<String> have, PrintStream log,
                             TerminalProgress progress) throws Exception {
        long accepted = 0;
        List<String> ids = new ArrayList<>(have);
        for (int i = 0; i < ids.size(); i += IDS_PER_REQ) {
            List<String> chunk = ids.subList(i, Math.min(ids.size(), i + IDS_PER_REQ));
            Filter byIds = new Filter(Set.copyOf(chunk), null, null, null, null, null, chunk.size(), null);
            List<String> events = local.query(List.of(byIds), chunk.size());
            for (String json : events) {
                remote.send("[\"EVENT\"," + json + "]");
            }
            for (int k = 0; k < events.size(); k++) {
                RelayMessage.Ok ok = (RelayMessage.Ok) remote.next(x -> x instanceof RelayMessage.Ok);
                if (ok.accepted()) {
                    accepted++;
                } else {
                    log.println("not taken there: " + ok.eventId() + ": " + ok.message());
                }
            }
            if (progress.due() >= 0) {
                progress.show("sending: " + Math.min(ids.size(), i + IDS_PER_REQ) + " of " + ids.size() + ", " + accepted + " taken there");
            }
        }
        return accepted;
    }

    /** One WebSocket to the other relay, its messages decoded and read in order. */
    static final class Remote implements AutoCloseable {
        private final RelaySocket socket;
        private final BlockingQueue<String> inbox;

        private Remote(RelaySocket socket, BlockingQueue<String> inbox) {
            this.socket = socket;
            this.inbox = inbox;
        }

        static Remote open(URI url) throws Exception {
            BlockingQueue<String> inbox = new LinkedBlockingQueue<>();
            RelaySocket s = RelaySocket.open(HttpClient.newHttpClient(), url, 0, (sock, text, at) -> inbox.add(text),
                    Duration.ofSeconds(10)).get(15, TimeUnit.SECONDS);
            return new Remote(s, inbox);
        }

        void send(String text) {
            socket.send(text);
        }

        /** The next message that {@code wanted} accepts (NOTICEs are printed, others skipped). */
        RelayMessage next(java.util.function.Predicate<RelayMessage> wanted) throws Exception {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (true) {
                String text = inbox.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (text == null) {
                    throw new SyncException(socket.closed().isDone() ? "the other relay " + socket.closed().getNow("")
                            : "no answer from the other relay within " + WAIT.toSeconds() + " s");
                }
                RelayMessage m;
                try {
                    m = MessageCodec.decodeRelay(text);
                } catch (MessageException e) {
                    continue;
                }
                if (m instanceof RelayMessage.Notice notice) {
                    System.err.println("the other relay says: " + notice.message());
                } else if (wanted.test(m)) {
                    return m;
                }
            }
        }

        @Override
        public void close() {
            socket.abort();
        }
    }
}
