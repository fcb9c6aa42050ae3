package io.nostrex.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.nostrex.protocol.TestCorpus;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class VerifyCommandTest {

    private static String run(String input) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        VerifyCommand.run(new BufferedReader(new StringReader(input)), new PrintStream(out, true, StandardCharsets.UTF_8), null);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void acceptsTheWholeRealCorpusInEveryLineForm() throws Exception {
        List<String> lines = TestCorpus.lines();
        StringBuilder in = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            in.append(switch (i % 3) {
                case 0 -> line;
                case 1 -> "[\"EVENT\"," + line + "]";
                default -> "[\"EVENT\",\"sub\"," + line + "]";
            }).append('\n');
        }
        assertThat(run(in.toString())).isEqualTo("checked 2348 events: 2348 valid, 0 invalid\n");
    }

    @Test
    void reportsEachTamperedLineWithNumberIdAndPrefixedReason() throws Exception {
        String good = TestCorpus.lines().get(0);
        String id = good.substring(good.indexOf("\"id\":\"") + 6, good.indexOf("\"id\":\"") + 70);
        String tamperedContent = good.replaceFirst("\"content\":\"", "\"content\":\"X");
        int sigEnd = good.indexOf("\"sig\":\"") + 7 + 128;
        char last = good.charAt(sigEnd - 1);
        String tamperedSig = good.substring(0, sigEnd - 1) + (last == '0' ? '1' : '0') + good.substring(sigEnd);
        String input = good + "\n" + tamperedContent + "\n\n" + "garbage\n" + "[\"REQ\",\"x\",{}]\n" + tamperedSig + "\n";
        String out = run(input);
        assertThat(out).contains("line 2: " + id + ": invalid: event id does not match");
        assertThat(out).contains("line 4: -: invalid: malformed JSON");
        assertThat(out).contains("line 5: -: invalid: line is an array but not an EVENT message");
        assertThat(out).contains("line 6: " + id + ": invalid: signature is not a valid BIP-340 signature");
        assertThat(out).endsWith("checked 5 events: 1 valid, 4 invalid\n");
    }
}
