package dev.podnet.cli;

import dev.podnet.diag.Diagnostic;
import dev.podnet.diag.Severity;
import dev.podnet.lint.InputFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything an output format needs about one run.
 *
 * @param diagnostics the findings, sorted as the engine returns them
 * @param inputs      the files that were read (their text feeds SARIF line fingerprints)
 * @param failOn      the {@code --fail-on} threshold (JUnit marks findings at or above it as failures)
 * @param sarifRoot   the directory SARIF {@code artifactLocation.uri} values are made relative to (absolute)
 */
public record Report(List<Diagnostic> diagnostics, List<InputFile> inputs, Severity failOn, Path sarifRoot) {

    /** The number of files read. */
    public int fileCount() {
        return inputs.size();
    }

    /**
     * The text of every input by display path, decoded leniently as UTF-8 (invalid bytes become U+FFFD; a file
     * that did not decode still gets line fingerprints).
     */
    public Map<String, String> texts() {
        Map<String, String> m = new HashMap<>();
        for (InputFile in : inputs) {
            m.putIfAbsent(in.path(), new String(in.bytes(), StandardCharsets.UTF_8));
        }
        return m;
    }
}
