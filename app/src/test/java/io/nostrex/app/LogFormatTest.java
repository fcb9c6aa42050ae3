package io.nostrex.app;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** NOSTREX_LOG_FORMAT=json gives one JSON object per line; the default stays readable text. */
class LogFormatTest {
    private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();

    @AfterEach
    void restore() throws Exception {
        System.clearProperty("NOSTREX_LOG_FORMAT");
        configure();
    }

    @Test
    void jsonIsOneObjectPerLineWithLevelLoggerMessageAndStackTrace() throws Exception {
        // Given the json format
        System.setProperty("NOSTREX_LOG_FORMAT", "json");

        // When a warning with an exception and a message with quotes and a line break are logged
        List<String> lines = capture(() -> {
            LoggerFactory.getLogger("io.nostrex.test").warn("could not write {} events", 3, new IllegalStateException("db down"));
            LoggerFactory.getLogger("io.nostrex.test").info("a \"quoted\"\nsecond line");
        });

        // Then each line is a whole JSON object
        assertThat(lines).hasSize(2);
        JsonNode first = new ObjectMapper().readTree(lines.get(0));
        assertThat(first.get("level").asText()).isEqualTo("WARN");
        assertThat(first.get("loggerName").asText()).isEqualTo("io.nostrex.test");
        assertThat(first.get("formattedMessage").asText()).isEqualTo("could not write 3 events");
        assertThat(first.at("/throwable/message").asText()).isEqualTo("db down");
        assertThat(first.get("timestamp").asLong()).isPositive();
        assertThat(new ObjectMapper().readTree(lines.get(1)).get("formattedMessage").asText())
                .isEqualTo("a \"quoted\"\nsecond line");
    }

    @Test
    void textIsTheDefault() throws Exception {
        List<String> lines = capture(() -> LoggerFactory.getLogger("io.nostrex.test").info("plain"));

        assertThat(lines).singleElement().asString().endsWith("INFO  [main] io.nostrex.test - plain");
    }

    private List<String> capture(Runnable logging) throws Exception {
        configure();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream previous = System.err;
        System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            logging.run();
        } finally {
            System.setErr(previous);
        }
        return bytes.toString(StandardCharsets.UTF_8).lines().toList();
    }

    private void configure() throws Exception {
        context.reset();
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(getClass().getResource("/logback.xml"));
    }
}
