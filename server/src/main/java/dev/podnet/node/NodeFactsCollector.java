package dev.podnet.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.podnet.exec.CommandRunner;
import dev.podnet.exec.ExecException;
import dev.podnet.exec.ExecResult;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Collects a node-facts document (schema {@code schemas/node-facts.schema.json}) through an execution backend:
 * interfaces, addresses, MTU and link kind ({@code ip -j -d addr}), routes ({@code ip -j route}), the sysctls
 * {@code net.ipv4.ip_forward}, {@code net.bridge.bridge-nf-call-iptables} and {@code rp_filter} (read from
 * {@code /proc/sys}), loaded modules ({@code /proc/modules}), the CNI conf dir's files, every binary in the CNI bin
 * dirs with the versions its {@code CNI_COMMAND=VERSION} reports (CNI SPEC.md "VERSION"), {@code iptables-save},
 * {@code ipset save} and the kernel release. A command that fails leaves its fact out (unknown), never the whole run.
 */
public final class NodeFactsCollector {
    /** Bin dirs probed when none is given: the CNI default, Debian's package, and Fedora's. */
    public static final List<String> DEFAULT_BIN_DIRS = List.of("/opt/cni/bin", "/usr/lib/cni", "/usr/libexec/cni");
    private static final Duration T = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER));

    private final CommandRunner runner;
    private final String name;
    private final String confDir;
    private final List<String> binDirs;

    /**
     * @param runner  how to reach the node
     * @param name    the node's name in the facts
     * @param confDir the CNI conf dir to read (default /etc/cni/net.d)
     * @param binDirs the plugin dirs to list (empty: {@link #DEFAULT_BIN_DIRS} that exist)
     */
    public NodeFactsCollector(CommandRunner runner, String name, String confDir, List<String> binDirs) {
        this.runner = runner;
        this.name = name;
        this.confDir = confDir;
        this.binDirs = binDirs;
    }

    /** Collects the facts; throws only when the node cannot be reached at all. */
    public ObjectNode collect() throws ExecException {
        ObjectNode root = JSON.createObjectNode();
        root.put("apiVersion", "podnet.dev/v1alpha1");
        root.put("kind", "NodeFacts");
        root.put("name", name);
        ExecResult uname = runner.run(List.of("uname", "-r"), T);
        if (uname.ok()) {
            root.put("kernelVersion", uname.out().strip());
        }
        List<String> dirs = new ArrayList<>();
        for (String d : binDirs.isEmpty() ? DEFAULT_BIN_DIRS : binDirs) {
            if (runner.run(List.of("test", "-d", d), T).ok()) {
                dirs.add(d);
            }
        }
        ObjectNode rt = root.putObject("runtime");
        rt.put("confDir", confDir);
        ArrayNode bd = rt.putArray("binDirs");
        dirs.forEach(bd::add);
        interfaces(root);
        routes(root);
        ObjectNode sysctl = root.putObject("sysctl");
        for (String key : List.of("net.ipv4.ip_forward", "net.bridge.bridge-nf-call-iptables",
                "net.ipv4.conf.all.rp_filter")) {
            ExecResult r = runner.run(List.of("cat", "/proc/sys/" + key.replace('.', '/')), T);
            if (r.ok()) {
                String v = r.out().strip();
                sysctl.put(key, v.matches("-?\\d+") ? JSON.getNodeFactory().numberNode(Integer.parseInt(v))
                        : JSON.getNodeFactory().textNode(v));
            }
        }
        ExecResult mods = runner.run(List.of("cat", "/proc/modules"), T);
        if (mods.ok()) {
            ArrayNode m = root.putArray("kernelModules");
            mods.out().lines().map(l -> l.split(" ", 2)[0]).filter(s -> !s.isBlank()).sorted().forEach(m::add);
        }
        binaries(root, dirs);
        cniConfigs(root);
        ExecResult ipt = runner.run(List.of("iptables-save"), T);
        if (ipt.ok()) {
            root.put("iptablesSave", stripComments(ipt.out()));
        }
        ExecResult ips = runner.run(List.of("ipset", "save"), T);
        if (ips.ok()) {
            root.put("ipsetSave", ips.out());
        }
        return root;
    }

    /** The facts as YAML text. */
    public static String toYaml(JsonNode facts) {
        try {
            return YAML.writeValueAsString(facts);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String stripComments(String save) {
        StringBuilder sb = new StringBuilder();
        save.lines().filter(l -> !l.startsWith("#")).forEach(l -> sb.append(l).append('\n'));
        return sb.toString();
    }

    private void interfaces(ObjectNode root) throws ExecException {
        ExecResult r = runner.run(List.of("ip", "-j", "-d", "addr", "show"), T);
        if (!r.ok()) {
            return;
        }
        try {
            ArrayNode out = root.putArray("interfaces");
            for (JsonNode l : JSON.readTree(r.stdout())) {
                ObjectNode i = out.addObject();
                i.put("name", l.path("ifname").asText());
                ArrayNode a = i.putArray("addresses");
                for (JsonNode ai : l.path("addr_info")) {
                    if (ai.path("family").asText().equals("inet") || ai.path("family").asText().equals("inet6")) {
                        a.add(ai.path("local").asText() + "/" + ai.path("prefixlen").asInt());
                    }
                }
                i.put("mtu", l.path("mtu").asInt());
                String kind = l.path("linkinfo").path("info_kind").asText("");
                if (!kind.isEmpty()) {
                    i.put("kind", kind);
                } else if (l.path("link_type").asText().equals("ether")) {
                    i.put("kind", "device");
                } else if (l.path("link_type").asText().equals("loopback")) {
                    i.put("kind", "loopback");
                }
                String master = l.path("master").asText("");
                if (!master.isEmpty()) {
                    i.put("master", master);
                }
            }
        } catch (java.io.IOException e) {
            root.remove("interfaces");
        }
    }

    private void routes(ObjectNode root) throws ExecException {
        ExecResult r = runner.run(List.of("ip", "-j", "route", "show"), T);
        if (!r.ok()) {
            return;
        }
        try {
            ArrayNode out = root.putArray("routes");
            for (JsonNode l : JSON.readTree(r.stdout())) {
                ObjectNode o = out.addObject();
                o.put("dst", l.path("dst").asText());
                if (l.has("gateway")) {
                    o.put("via", l.path("gateway").asText());
                }
                if (l.has("dev")) {
                    o.put("dev", l.path("dev").asText());
                }
            }
        } catch (java.io.IOException e) {
            root.remove("routes");
        }
    }

    private void binaries(ObjectNode root, List<String> dirs) throws ExecException {
        ObjectNode bins = root.putObject("binaries");
        for (String d : dirs) {
            ArrayNode list = bins.putArray(d);
            ExecResult ls = runner.run(List.of("ls", "-1", d), T);
            if (!ls.ok()) {
                continue;
            }
            for (String n : ls.out().lines().filter(s -> !s.isBlank()).sorted().toList()) {
                ObjectNode b = list.addObject();
                b.put("name", n);
                ExecResult v = runner.run(List.of(d + "/" + n), "{\"cniVersion\":\"0.1.0\"}"
                        .getBytes(StandardCharsets.UTF_8), Map.of("CNI_COMMAND", "VERSION"), Duration.ofSeconds(5));
                if (v.ok()) {
                    try {
                        JsonNode j = JSON.readTree(v.stdout());
                        if (j.path("supportedVersions").isArray()) {
                            b.set("supportedVersions", j.get("supportedVersions"));
                        }
                    } catch (java.io.IOException e) {
                        // not a CNI plugin: keep the name only
                    }
                }
            }
        }
    }

    private void cniConfigs(ObjectNode root) throws ExecException {
        ExecResult ls = runner.run(List.of("ls", "-1", confDir), T);
        if (!ls.ok()) {
            return;
        }
        ObjectNode files = root.putObject("cniConfigs");
        for (String n : ls.out().lines().filter(s -> s.endsWith(".conf") || s.endsWith(".conflist")
                || s.endsWith(".json")).sorted().toList()) {
            ExecResult c = runner.run(List.of("cat", confDir + "/" + n), T);
            if (c.ok()) {
                files.put(confDir + "/" + n, c.out());
            }
        }
    }
}
