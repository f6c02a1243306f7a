package dev.podnet.lsp;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.podnet.diag.Severity;
import dev.podnet.lint.LintOptions;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * The language server's settings, read from {@code initializationOptions}, {@code workspace/didChangeConfiguration}
 * or a {@code workspace/configuration} answer for section {@code podnet}. Shape (the {@code podnet} wrapper is
 * optional):
 * <pre>{"podnet": {"severities": {"SYN002": "error", "SYN006": "off"}, "debounceMs": 200}}</pre>
 * A severity is {@code error|warning|info|hint} or {@code off} (the rule is disabled); rule ids are
 * case-insensitive. {@code debounceMs} is the delay between the last edit and validation, in milliseconds
 * (default 200, clamped to 0..10000). Unknown keys and malformed values are ignored, never fatal.
 *
 * @param severityOverrides rule id to reported severity
 * @param disabled          rule ids switched off
 * @param debounceMillis    validation delay after an edit, in ms
 */
public record Settings(Map<String, Severity> severityOverrides, Set<String> disabled, long debounceMillis) {
    /** Default validation delay after an edit, in ms. */
    public static final long DEFAULT_DEBOUNCE_MS = 200;

    /** No overrides, default debounce. */
    public static Settings defaults() {
        return new Settings(Map.of(), Set.of(), DEFAULT_DEBOUNCE_MS);
    }

    /** The lint options for one validation run. */
    public LintOptions lintOptions(BooleanSupplier cancel) {
        return new LintOptions(disabled, severityOverrides, cancel);
    }

    /**
     * Reads settings from a JSON value (lsp4j hands these over as Gson elements); anything else, or null, keeps
     * {@code base}. Keys absent from {@code json} keep their value in {@code base}.
     */
    public static Settings from(Object json, Settings base) {
        if (!(json instanceof JsonElement el) || !el.isJsonObject()) {
            return base;
        }
        JsonObject o = el.getAsJsonObject();
        if (o.has("podnet") && o.get("podnet").isJsonObject()) {
            o = o.getAsJsonObject("podnet");
        }
        Map<String, Severity> sev = base.severityOverrides;
        Set<String> off = base.disabled;
        if (o.has("severities") && o.get("severities").isJsonObject()) {
            sev = new LinkedHashMap<>();
            off = new LinkedHashSet<>();
            for (Map.Entry<String, JsonElement> e : o.getAsJsonObject("severities").entrySet()) {
                if (!e.getValue().isJsonPrimitive()) {
                    continue;
                }
                String id = e.getKey().trim().toUpperCase(Locale.ROOT);
                String v = e.getValue().getAsString().trim();
                if (v.equalsIgnoreCase("off") || v.equalsIgnoreCase("none")) {
                    off.add(id);
                } else {
                    try {
                        sev.put(id, Severity.parse(v));
                    } catch (IllegalArgumentException ignored) {
                        // unknown word: keep the rule's default
                    }
                }
            }
            sev = Collections.unmodifiableMap(sev);
            off = Collections.unmodifiableSet(off);
        }
        long debounce = base.debounceMillis;
        if (o.has("debounceMs") && o.get("debounceMs").isJsonPrimitive()
                && o.get("debounceMs").getAsJsonPrimitive().isNumber()) {
            debounce = Math.max(0, Math.min(10_000, o.get("debounceMs").getAsLong()));
        }
        return new Settings(sev, off, debounce);
    }
}
