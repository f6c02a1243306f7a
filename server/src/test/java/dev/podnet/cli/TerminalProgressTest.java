package dev.podnet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TerminalProgressTest {

    @Test
    void redrawsAtMostEveryIntervalAlwaysAtTheEndAndErases() {
        StringWriter sw = new StringWriter();
        AtomicLong now = new AtomicLong(1_000);
        TerminalProgress p = new TerminalProgress(new PrintWriter(sw), "simulate", now::get);
        p.walked("80/TCP", 10, 1000);
        now.addAndGet(TerminalProgress.INTERVAL_MS - 1);
        p.walked("80/TCP", 20, 1000); // too soon: not drawn
        now.addAndGet(1);
        p.walked("80/TCP", 500, 1000);
        p.walked("80/TCP", 1000, 1000); // the last one always
        String text = sw.toString();
        assertThat(text.split("\r", -1)).hasSize(4);
        assertThat(text).contains("simulate: [80/TCP] 1% (10 of 1,000 packet walks)")
                .doesNotContain("(20 of").contains("50% (500 of").endsWith("100% (1,000 of 1,000 packet walks)");
        p.done();
        String erased = sw.toString().substring(text.length());
        assertThat(erased).matches("\r +\r");
        p.done(); // nothing more to erase
        assertThat(sw.toString()).hasSize(text.length() + erased.length());
    }

    @Test
    void aShorterLineOverwritesALongerOneCompletely() {
        StringWriter sw = new StringWriter();
        TerminalProgress p = new TerminalProgress(new PrintWriter(sw), "s", () -> 0);
        String stage = "generating and parsing the node rulesets of every node";
        p.stage(stage);
        p.walked("1/TCP", 1, 1);
        String last = sw.toString().substring(sw.toString().lastIndexOf('\r') + 1);
        assertThat(last).hasSize(("s: " + stage).length()).startsWith("s: [1/TCP] 100% (1 of 1 packet walks)")
                .endsWith(" ");
    }

    @Test
    void stderrOfATestRunIsNotATerminal() {
        // surefire redirects the forked JVM's stderr to a pipe or file
        assertThat(TerminalProgress.stderrIsTerminal()).isFalse();
    }
}
