package dev.podnet.lsp;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonParser;
import dev.podnet.diag.Severity;
import org.junit.jupiter.api.Test;

class SettingsTest {

    @Test
    void readsWrappedAndUnwrappedShapes() {
        Settings a = Settings.from(JsonParser.parseString("{\"podnet\": {\"severities\": {\"syn002\": \"Error\", "
                + "\"SYN006\": \"off\"}, \"debounceMs\": 75}}"), Settings.defaults());
        assertThat(a.severityOverrides()).containsExactly(java.util.Map.entry("SYN002", Severity.ERROR));
        assertThat(a.disabled()).containsExactly("SYN006");
        assertThat(a.debounceMillis()).isEqualTo(75);
        Settings b = Settings.from(JsonParser.parseString("{\"debounceMs\": 99999}"), a);
        assertThat(b.debounceMillis()).as("clamped").isEqualTo(10_000);
        assertThat(b.severityOverrides()).as("absent keys keep the base").isEqualTo(a.severityOverrides());
    }

    @Test
    void ignoresMalformedValues() {
        Settings base = Settings.defaults();
        assertThat(Settings.from(null, base)).isEqualTo(base);
        assertThat(Settings.from("text", base)).isEqualTo(base);
        assertThat(Settings.from(JsonParser.parseString("[1, 2]"), base)).isEqualTo(base);
        Settings s = Settings.from(JsonParser.parseString("{\"severities\": {\"SYN001\": \"loud\", \"SYN002\": [1], "
                + "\"SYN003\": \"none\"}, \"debounceMs\": \"fast\"}"), base);
        assertThat(s.severityOverrides()).isEmpty();
        assertThat(s.disabled()).containsExactly("SYN003");
        assertThat(s.debounceMillis()).isEqualTo(Settings.DEFAULT_DEBOUNCE_MS);
    }
}
