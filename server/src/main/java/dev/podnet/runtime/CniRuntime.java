package dev.podnet.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.podnet.cni.CniError;
import dev.podnet.cni.CniResult;
import dev.podnet.exec.CommandRunner;
import dev.podnet.exec.ExecException;
import dev.podnet.exec.ExecResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The runtime side of the CNI specification (what libcni does), over any {@link CommandRunner}: finds plugin
 * binaries in the bin dirs ({@code CNI_PATH}), executes them with {@code CNI_COMMAND} ({@code ADD}, {@code DEL},
 * {@code CHECK}, {@code VERSION}, {@code GC}, {@code STATUS} as the config's version allows),
 * {@code CNI_CONTAINERID}, {@code CNI_NETNS}, {@code CNI_IFNAME}, {@code CNI_ARGS}, {@code CNI_PATH} and the
 * request config on stdin; chains a conflist with {@code prevResult}; runs DEL in reverse order with the final ADD
 * result; parses results of every version and the error JSON. A configuration's {@code cniVersions} list picks the
 * version it runs with ({@link #effectiveVersion}); CHECK needs 0.4.0, GC and STATUS 1.1.0, and are refused with an
 * error below that. Source: CNI SPEC.md §"Execution Protocol" (§"CNI operations": ADD, DEL, CHECK, STATUS,
 * VERSION, GC), §"Execution of Network Configurations" and §"Version considerations" (spec 1.1.0);
 * containernetworking/cni libcni/api.go.
 */
public final class CniRuntime {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final CommandRunner runner;
    private final List<String> binDirs;
    private final Duration timeout;

    /** A plugin failed or could not be run. */
    public static final class CniException extends Exception {
        private final CniError error;

        public CniException(String message, CniError error) {
            super(message);
            this.error = error;
        }

        /** The plugin's error, or null when the plugin never ran. */
        public CniError error() {
            return error;
        }
    }

    /**
     * One attachment of a container to a network.
     *
     * @param containerId  CNI_CONTAINERID
     * @param netns        CNI_NETNS, a path such as {@code /var/run/netns/NAME}
     * @param ifName       CNI_IFNAME (e.g. eth0)
     * @param args         CNI_ARGS ({@code K=V;K2=V2}), or ""
     * @param capabilities capability values injected as runtimeConfig (portMappings, ips, bandwidth, ...)
     */
    public record Attachment(String containerId, String netns, String ifName, String args,
                             Map<String, JsonNode> capabilities) {
    }

    public CniRuntime(CommandRunner runner, List<String> binDirs, Duration timeout) {
        this.runner = runner;
        this.binDirs = List.copyOf(binDirs);
        this.timeout = timeout;
    }

    /**
     * The path of a plugin binary: the first bin dir holding an executable of that name (libcni FindInPath).
     *
     * @throws CniException {@code failed to find plugin "X" in path [...]}
     */
    public String find(String type) throws CniException {
        if (!type.matches("[A-Za-z0-9][A-Za-z0-9_.-]*")) {
            throw new CniException("invalid plugin type \"" + type + "\"", null);
        }
        for (String d : binDirs) {
            try {
                if (runner.run(List.of("test", "-x", d + "/" + type), Duration.ofSeconds(5)).ok()) {
                    return d + "/" + type;
                }
            } catch (ExecException e) {
                throw new CniException(e.getMessage(), null);
            }
        }
        throw new CniException("failed to find plugin \"" + type + "\" in path " + binDirs, null);
    }

    private List<JsonNode> plugins(JsonNode config) {
        List<JsonNode> out = new ArrayList<>();
        if (config.has("plugins")) {
            config.path("plugins").forEach(out::add);
        } else {
            out.add(config);
        }
        return out;
    }

    /** The attachment parameters' variables (SPEC.md §"Attachment Parameters"). */
    static final List<String> ATTACHMENT_VARIABLES = List.of("CNI_CONTAINERID", "CNI_NETNS", "CNI_IFNAME", "CNI_ARGS");

    /**
     * The environment of one plugin call: {@code CNI_COMMAND} and {@code CNI_PATH} always; the attachment
     * parameters for ADD, DEL and CHECK; for VERSION, GC and STATUS, which are not about one attachment, the
     * attachment variables are removed (null) so none leaks in from the node's own environment.
     */
    private Map<String, String> env(String command, Attachment a) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CNI_COMMAND", command);
        if (a != null) {
            env.put("CNI_CONTAINERID", a.containerId());
            env.put("CNI_NETNS", a.netns());
            env.put("CNI_IFNAME", a.ifName());
            env.put("CNI_ARGS", a.args());
        } else {
            ATTACHMENT_VARIABLES.forEach(v -> env.put(v, null));
        }
        env.put("CNI_PATH", String.join(":", binDirs));
        return env;
    }

    /** The highest spec version this runtime implements. */
    public static final String LATEST = "1.1.0";

    /**
     * The spec version a configuration is run with (SPEC.md §"Version considerations", libcni
     * {@code ConfListFromBytes}): the highest entry of {@code cniVersions} that this runtime implements (at most
     * {@link #LATEST}), else {@code cniVersion}, else "0.1.0".
     */
    public static String effectiveVersion(JsonNode config) {
        String best = null;
        for (JsonNode v : config.path("cniVersions")) {
            String s = v.asText();
            if (compare(s, LATEST) <= 0 && (best == null || compare(s, best) > 0)) {
                best = s;
            }
        }
        return best != null ? best : config.path("cniVersion").asText("0.1.0");
    }

    /** The configuration with {@code cniVersion} set to {@link #effectiveVersion} when {@code cniVersions} chose it. */
    private static JsonNode normalized(JsonNode config) {
        String v = effectiveVersion(config);
        if (!config.has("cniVersions") || !config.isObject() || v.equals(config.path("cniVersion").asText())) {
            return config;
        }
        ObjectNode c = config.deepCopy();
        c.put("cniVersion", v);
        return c;
    }

    private static void requireVersion(JsonNode config, String command, String since) throws CniException {
        String v = effectiveVersion(config);
        if (compare(v, since) < 0) {
            throw new CniException("configuration \"" + config.path("name").asText() + "\" has cniVersion \"" + v
                    + "\", which does not support the " + command + " command (it needs " + since + " or later)",
                    null);
        }
    }

    private ExecResult exec(String type, ObjectNode request, String command, Attachment a) throws CniException {
        String path = find(type);
        try {
            ExecResult r = runner.run(List.of(path), JSON.writeValueAsBytes(request), env(command, a), timeout);
            if (r.timedOut()) {
                throw new CniException("plugin type=\"" + type + "\" timed out (" + command.toLowerCase() + ")", null);
            }
            if (r.exitCode() != 0) {
                CniError err = CniError.parse(r.out(), r.err());
                throw new CniException("plugin type=\"" + type + "\" name=\"" + request.path("name").asText()
                        + "\" failed (" + command.toLowerCase() + "): " + err, err);
            }
            return r;
        } catch (ExecException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new CniException(e.getMessage(), null);
        }
    }

    /**
     * ADD: runs every plugin in order, each receiving the previous result as prevResult; stops at the first error.
     *
     * @return the final result
     */
    public CniResult add(JsonNode conf, Attachment a) throws CniException {
        JsonNode config = normalized(conf);
        JsonNode prev = null;
        for (JsonNode p : plugins(config)) {
            ObjectNode req = CniResult.requestConfig(config, p, a.capabilities(), prev);
            ExecResult r = exec(p.path("type").asText(), req, "ADD", a);
            try {
                prev = CniResult.parse(r.out()).raw();
            } catch (IllegalArgumentException e) {
                throw new CniException("plugin type=\"" + p.path("type").asText() + "\": " + e.getMessage(), null);
            }
        }
        return prev == null ? CniResult.empty(config.path("cniVersion").asText()) : CniResult.of(prev);
    }

    /** DEL: runs the plugins in reverse order with the final ADD result as prevResult (may be null). */
    public void del(JsonNode conf, Attachment a, CniResult prevResult) throws CniException {
        JsonNode config = normalized(conf);
        List<JsonNode> ps = plugins(config);
        for (int i = ps.size() - 1; i >= 0; i--) {
            JsonNode p = ps.get(i);
            ObjectNode req = CniResult.requestConfig(config, p, a.capabilities(),
                    prevResult == null ? null : prevResult.raw());
            exec(p.path("type").asText(), req, "DEL", a);
        }
    }

    /** CHECK (configs of version 0.4.0 and later, unless disableCheck): every plugin in order with the result. */
    public void check(JsonNode conf, Attachment a, CniResult result) throws CniException {
        requireVersion(conf, "CHECK", "0.4.0");
        JsonNode config = normalized(conf);
        if (config.path("disableCheck").asBoolean(false)) {
            return;
        }
        for (JsonNode p : plugins(config)) {
            exec(p.path("type").asText(), CniResult.requestConfig(config, p, a.capabilities(), result.raw()),
                    "CHECK", a);
        }
    }

    /** VERSION: the spec versions a plugin binary reports. */
    public List<String> version(String type) throws CniException {
        ObjectNode req = JSON.createObjectNode();
        req.put("cniVersion", "0.1.0");
        ExecResult r = exec(type, req, "VERSION", null);
        List<String> out = new ArrayList<>();
        try {
            JSON.readTree(r.out()).path("supportedVersions").forEach(v -> out.add(v.asText()));
        } catch (java.io.IOException e) {
            throw new CniException("plugin " + type + " printed no VERSION result", null);
        }
        return out;
    }

    /**
     * GC (SPEC.md §"GC: Clean up any stale resources", CNI 1.1.0; libcni {@code GCNetworkList}): runs every plugin of
     * the list with {@code CNI_COMMAND=GC}, {@code CNI_PATH}, no attachment variables, and on stdin the plugin's
     * request configuration with {@code cni.dev/valid-attachments}, the attachments that are still valid, each as
     * {@code {"containerID", "ifname"}} (also under {@code cni.dev/attachments}, the name in the spec text as first
     * tagged, as libcni does). Does nothing when the configuration sets {@code disableGC}. Every plugin
     * runs even when an earlier one fails.
     *
     * @param valid the attachments to keep (only their container ID and interface name are sent)
     * @throws CniException when the configuration's version is below 1.1.0 (GC is refused), or after all plugins
     *                      ran, when any failed: the message names each failure, {@link CniException#error()} is the
     *                      first plugin error
     */
    public void gc(JsonNode config, List<Attachment> valid) throws CniException {
        requireVersion(config, "GC", "1.1.0");
        if (config.path("disableGC").asBoolean(false)) {
            return;
        }
        JsonNode list = normalized(config);
        List<CniException> failures = new ArrayList<>();
        for (JsonNode p : plugins(list)) {
            ObjectNode req = CniResult.requestConfig(list, p, Map.of(), null);
            var arr = req.putArray("cni.dev/valid-attachments");
            for (Attachment a : valid) {
                arr.addObject().put("containerID", a.containerId()).put("ifname", a.ifName());
            }
            // The spec as tagged for 1.1.0 named the key cni.dev/attachments; containernetworking/cni PR #1103 (issue
            // #1101) renamed it to libcni's cni.dev/valid-attachments, and libcni sends both: so does podnet.
            req.set("cni.dev/attachments", arr.deepCopy());
            try {
                exec(p.path("type").asText(), req, "GC", null);
            } catch (CniException e) {
                failures.add(e);
            }
        }
        if (!failures.isEmpty()) {
            CniError first = failures.stream().map(CniException::error).filter(java.util.Objects::nonNull).findFirst()
                    .orElse(null);
            throw new CniException(String.join("; ", failures.stream().map(Throwable::getMessage).toList()), first);
        }
    }

    /**
     * STATUS (SPEC.md §"STATUS: Check plugin status", CNI 1.1.0; libcni {@code GetStatusNetworkList}): runs the
     * plugins of the list in order with {@code CNI_COMMAND=STATUS}, {@code CNI_PATH}, no attachment variables and
     * the plugin's request configuration on stdin; returns when every plugin exits 0 (ready to service ADD).
     *
     * @throws CniException when the configuration's version is below 1.1.0 (STATUS is refused), or at the first
     *                      plugin that reports an error: {@link CniException#error()} holds its code (50: plugin not
     *                      available, 51: not available and existing containers may have limited connectivity),
     *                      msg and details
     */
    public void status(JsonNode config) throws CniException {
        requireVersion(config, "STATUS", "1.1.0");
        JsonNode list = normalized(config);
        for (JsonNode p : plugins(list)) {
            exec(p.path("type").asText(), CniResult.requestConfig(list, p, Map.of(), null), "STATUS", null);
        }
    }

    /** Compares dotted versions numerically. */
    static int compare(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            int p = i < x.length ? parse(x[i]) : 0;
            int q = i < y.length ? parse(y[i]) : 0;
            if (p != q) {
                return Integer.compare(p, q);
            }
        }
        return 0;
    }

    private static int parse(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

}
