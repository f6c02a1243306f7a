package dev.podnet.source;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podnet.diag.Diagnostic;
import org.junit.jupiter.api.Test;

/**
 * The nesting-limit finding (SYN004) points at the bracket that opens the first level past the limit (Jackson's
 * StreamConstraintsException carries no location, so the parser's read position is used).
 */
class NestingPositionTest {

    static Diagnostic only(String text) {
        ParseResult r = JsonSourceParser.parse(new SourceText("deep.json", text));
        assertThat(r.docs()).isEmpty();
        assertThat(r.diagnostics()).hasSize(1);
        return r.diagnostics().get(0);
    }

    @Test
    void arrays() {
        Diagnostic d = only("[".repeat(Limits.MAX_DEPTH + 1) + "]".repeat(Limits.MAX_DEPTH + 1));
        assertThat(d.rule()).isEqualTo("SYN004");
        assertThat(d.range().startLine()).isZero();
        assertThat(d.range().startChar()).isEqualTo(Limits.MAX_DEPTH);
    }

    @Test
    void objectsOnSeparateLines() {
        String level = "{\n \"a\": ";
        Diagnostic d = only(level.repeat(Limits.MAX_DEPTH + 5) + "1" + "}".repeat(Limits.MAX_DEPTH + 5));
        assertThat(d.range().startLine()).isEqualTo(Limits.MAX_DEPTH);
        assertThat(d.range().startChar()).isEqualTo(6); // the '{' after ` "a": `
    }

    @Test
    void exactlyAtTheLimitParses() {
        String text = "[".repeat(Limits.MAX_DEPTH) + "]".repeat(Limits.MAX_DEPTH);
        assertThat(JsonSourceParser.parse(new SourceText("ok.json", text)).diagnostics()).isEmpty();
    }
}
