package io.nostrex.app.faults;

import io.nostrex.embedded.EmbeddedKafka;
import java.nio.file.Path;

/**
 * The drill's broker, in a JVM of its own so that it can be killed with kill -9: the embedded
 * broker on a fixed client and controller port, with the further listeners named in the
 * arguments ({@code NAME:PORT:ADVERTISED_PORT}). Prints {@value #READY} once it takes clients.
 */
public final class BrokerMain {
    static final String READY = "BROKER READY";

    private BrokerMain() {}

    /** Arguments: data folder, client port, controller port, then listeners. */
    public static void main(String[] args) throws Exception {
        EmbeddedKafka kafka = new EmbeddedKafka(Path.of(args[0]), Integer.parseInt(args[1]),
                EmbeddedKafka.Durability.PAGE_CACHE).withControllerPort(Integer.parseInt(args[2]));
        for (int i = 3; i < args.length; i++) {
            String[] l = args[i].split(":");
            kafka.withListener(new EmbeddedKafka.Listener(l[0], Integer.parseInt(l[1]), Integer.parseInt(l[2])));
        }
        kafka.start();
        Runtime.getRuntime().addShutdownHook(new Thread(kafka::close));
        System.out.println(READY);
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
