package dev.podnet.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podnet.diag.Diagnostic;
import dev.podnet.diag.Severity;
import dev.podnet.lint.RuleRegistry;
import dev.podnet.source.SourceDoc;
import dev.podnet.lint.InputFile;
import dev.podnet.lint.LintEngine;
import dev.podnet.lint.LintOptions;
import dev.podnet.lint.SourceFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * The project file {@code podnet.yaml} or {@code .podnet.yaml}: per-rule settings, which files to lint, per-file
 * exemptions, and the cluster facts. Shape (JSON Schema: {@code schemas/podnet-config.schema.json}; prose:
 * docs/configuration.md):
 * <pre>
 * rules: {CNI012: off, NP007: warning}      # on | off | error | warning | info | hint
 * include: ["net.d/**", "k8s/**"]           # globs relative to the file's directory
 * exclude: ["k8s/generated/**"]
 * exemptions:                               # for CNI JSON, which has no comments
 *   - {file: "net.d/99-legacy.conf", rules: [CNI012], reason: "kept for the old runtime"}
 * cluster: {podCIDR: 10.244.0.0/16, serviceCIDR: 10.96.0.0/12, dns: {namespace: kube-system, service: kube-dns},
 *           policyEnforcement: calico, kubernetesVersion: "1.29", ipBlockMatchesPodIPs: false}
 * </pre>
 * Invalid entries are left out of the parsed config and reported by {@link ProjectConfigCheck} (rules
 * {@code CFG001..CFG012}); parsing never throws.
 *
 * @param file       the project file (absolute), or null for {@link #EMPTY}
 * @param rules      rule id (upper case) to its setting
 * @param include    globs a file must match one of to be linted (empty: every file)
 * @param exclude    globs no linted file may match
 * @param exemptions per-file rule exemptions
 * @param cluster    the cluster facts ({@link ClusterFacts#UNKNOWN} when the section is absent)
 */
public record ProjectConfig(Path file, Map<String, RuleSetting> rules, List<Glob> include, List<Glob> exclude,
                            List<Exemption> exemptions, ClusterFacts cluster) {

    /** The project file's names, looked up from the linted paths upwards (either; one per directory). */
    public static final List<String> FILE_NAMES = List.of("podnet.yaml", ".podnet.yaml");

    /** Two project files in one directory: podnet does not guess which one applies. */
    public static final class TwoProjectFiles extends IOException {
        TwoProjectFiles(Path dir) {
            super("two project files in " + dir + ": podnet.yaml and .podnet.yaml; keep one (or choose one with "
                    + "--config FILE)");
        }
    }

    /** No project file: every rule at its default, every file linted. */
    public static final ProjectConfig EMPTY = new ProjectConfig(null, Map.of(), List.of(), List.of(), List.of(),
            ClusterFacts.UNKNOWN);

    public ProjectConfig {
        rules = Map.copyOf(rules);
        include = List.copyOf(include);
        exclude = List.copyOf(exclude);
        exemptions = List.copyOf(exemptions);
    }

    /**
     * A rule's configured state.
     *
     * @param enabled  false for {@code off}
     * @param severity the severity to report instead of the default, or null to keep it ({@code on})
     */
    public record RuleSetting(boolean enabled, Severity severity) {
    }

    /**
     * Rules switched off for the files matching a glob.
     *
     * @param file   the glob, relative to the project file's directory
     * @param rules  rule ids (upper case)
     * @param reason why (free text; required by convention, CFG006 warns when missing)
     */
    public record Exemption(Glob file, Set<String> rules, String reason) {
        public Exemption {
            rules = Set.copyOf(rules);
        }
    }

    /** One problem in the project file, for {@link ProjectConfigCheck}. */
    public record Finding(String rule, String pointer, boolean onKey, String message) {
    }

    /** The result of parsing: the usable config and the problems found. */
    public record Parsed(ProjectConfig config, List<Finding> findings) {
    }

    /** The directory globs are relative to (the project file's directory; the current directory for EMPTY). */
    public Path baseDir() {
        return file == null ? Path.of("").toAbsolutePath() : file.getParent();
    }

    /** The rule settings as lint options: {@code off} rules disabled, severities overridden. */
    public LintOptions lintOptions(BooleanSupplier cancel) {
        Set<String> disabled = new HashSet<>();
        Map<String, Severity> sev = new HashMap<>();
        rules.forEach((id, s) -> {
            if (!s.enabled()) {
                disabled.add(id);
            } else if (s.severity() != null) {
                sev.put(id, s.severity());
            }
        });
        return new LintOptions(disabled, sev, cancel);
    }

    /** Applies the rule settings to findings made outside the lint engine: {@code off} dropped, severities set. */
    public List<Diagnostic> configure(List<Diagnostic> ds) {
        List<Diagnostic> out = new ArrayList<>(ds.size());
        for (Diagnostic d : ds) {
            RuleSetting s = rules.get(d.rule());
            if (s == null) {
                out.add(d);
            } else if (s.enabled()) {
                out.add(s.severity() == null ? d : d.withSeverity(s.severity()));
            }
        }
        return out;
    }

    /**
     * Whether a file is to be linted: it matches an {@code include} glob (or there is none) and no
     * {@code exclude} glob. A file outside the project directory is always linted (the globs cannot name it).
     */
    public boolean includes(Path path) {
        Optional<String> rel = relative(path);
        if (rel.isEmpty()) {
            return true;
        }
        if (!include.isEmpty() && include.stream().noneMatch(g -> g.matches(rel.get()))) {
            return false;
        }
        return exclude.stream().noneMatch(g -> g.matches(rel.get()));
    }

    /** Whether an exemption switches {@code rule} off for this file. */
    public boolean exempt(Path path, String rule) {
        if (exemptions.isEmpty()) {
            return false;
        }
        Optional<String> rel = relative(path);
        return rel.isPresent() && exemptions.stream()
                .anyMatch(e -> e.rules().contains(rule) && e.file().matches(rel.get()));
    }

    /**
     * Drops the findings an exemption covers. {@code resolve} turns a finding's display path into a file-system
     * path (the CLI resolves against the current directory).
     */
    public List<Diagnostic> applyExemptions(List<Diagnostic> ds, java.util.function.Function<String, Path> resolve) {
        if (exemptions.isEmpty()) {
            return ds;
        }
        List<Diagnostic> out = new ArrayList<>(ds.size());
        for (Diagnostic d : ds) {
            if (!exempt(resolve.apply(d.file()), d.rule())) {
                out.add(d);
            }
        }
        return out;
    }

    /** The path relative to the project directory with {@code /} separators, if it lies inside it. */
    private Optional<String> relative(Path path) {
        Path base = baseDir().toAbsolutePath().normalize();
        Path abs = path.toAbsolutePath().normalize();
        if (!abs.startsWith(base) || abs.equals(base)) {
            return Optional.empty();
        }
        StringBuilder sb = new StringBuilder();
        for (Path part : base.relativize(abs)) {
            if (sb.length() > 0) {
                sb.append('/');
            }
            sb.append(part);
        }
        return Optional.of(sb.toString());
    }

    /**
     * Looks for a project file ({@link #FILE_NAMES}) in the directory of {@code start} (itself if a directory) and
     * its parents, stopping after a directory that holds {@code .git} (the repository root) or at the file-system
     * root.
     *
     * @return the absolute path of the project file, if found
     * @throws TwoProjectFiles when the nearest directory with a project file holds both names
     */
    public static Optional<Path> find(Path start) throws TwoProjectFiles {
        Path dir = start.toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) {
            dir = dir.getParent();
        }
        while (dir != null) {
            Path found = null;
            for (String name : FILE_NAMES) {
                Path candidate = dir.resolve(name);
                if (Files.isRegularFile(candidate)) {
                    if (found != null) {
                        throw new TwoProjectFiles(dir);
                    }
                    found = candidate;
                }
            }
            if (found != null) {
                return Optional.of(found);
            }
            if (Files.exists(dir.resolve(".git"))) {
                return Optional.empty();
            }
            dir = dir.getParent();
        }
        return Optional.empty();
    }

    /**
     * A project file read from disk.
     *
     * @param config      the usable settings (defaults where the file is broken)
     * @param input       the file as read
     * @param diagnostics the file's own problems: syntax (SYN) and CFG findings at their ranges, with default
     *                    severities (the caller applies {@link #lintOptions})
     * @param cluster     the file's {@code cluster:} object as written (for the inventory's
     *                    {@code ClusterFacts.fromJson}), or null when it has none
     */
    public record Loaded(ProjectConfig config, InputFile input, List<Diagnostic> diagnostics, JsonNode cluster) {

        /** The diagnostics with the config's own rule settings applied ({@code off} dropped, severities set). */
        public List<Diagnostic> configuredDiagnostics() {
            return config.configure(diagnostics);
        }
    }

    /**
     * Reads and parses a project file, whatever its name (for {@code --config}); the first YAML document is the
     * configuration. Syntax errors and invalid entries leave the affected settings out and are returned as
     * diagnostics under {@code displayPath}.
     *
     * @throws IOException when the file cannot be read
     */
    public static Loaded load(Path file, String displayPath) throws IOException {
        Path abs = file.toAbsolutePath().normalize();
        List<Diagnostic> out = new ArrayList<>();
        InputFile in = InputFile.read(abs, displayPath);
        SourceFile sf = LintEngine.read(in, out);
        if (sf.docs().isEmpty()) {
            return new Loaded(new ProjectConfig(abs, Map.of(), List.of(), List.of(), List.of(), ClusterFacts.UNKNOWN),
                    in, out, null);
        }
        SourceDoc doc = sf.docs().get(0).doc();
        Parsed parsed = parse(doc.root(), abs);
        RuleRegistry reg = RuleRegistry.get();
        for (Finding f : parsed.findings()) {
            out.add(new Diagnostic(displayPath, f.onKey() ? doc.keyRangeOf(f.pointer()) : doc.rangeOf(f.pointer()),
                    reg.require(f.rule()).severity(), f.rule(), f.message()));
        }
        JsonNode cluster = doc.root().path("cluster");
        return new Loaded(parsed.config(), in, out, cluster.isObject() ? cluster : null);
    }

    /** Reads a project file and returns its settings (see {@link #load(Path, String)}). */
    public static ProjectConfig load(Path file) throws IOException {
        return load(file, file.toString()).config();
    }

    /** Parses a project file's value tree; {@code file} is its absolute path (or null in tests). */
    public static Parsed parse(JsonNode root, Path file) {
        return new ProjectConfigParser(root, file).parse();
    }
}
