package dev.podnet.cni;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podnet.diag.Diagnostic;
import dev.podnet.lint.Check;
import dev.podnet.lint.DocKind;
import dev.podnet.lint.Reporter;
import dev.podnet.lint.SourceFile;
import dev.podnet.lint.Workspace;
import dev.podnet.source.Range;
import dev.podnet.source.SourceDoc;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The "whole {@code net.d} directory" rules (ids {@code CNI070}..{@code CNI099}, documented in
 * {@code podnet/rules/cni-dir.yaml}). The input files are grouped by their directory ({@link
 * dev.podnet.lint.InputFile#directory()}); a directory is treated as a CNI configuration directory when its name
 * contains {@code net.d} or {@code cni} (see {@link #looksLikeConfDir}), and it holds at least one CNI network
 * configuration and at least two files a runtime would try to load. A {@code .json} file
 * that is not a CNI config (a {@code package.json}, a Kubernetes manifest) counts only in a directory named
 * {@code net.d}: elsewhere it is more likely a neighbour in a repository than a file in the runtime's directory.
 *
 * <p>Load order, as the runtimes implement it (research notes §1.7): libcni {@code ConfFiles}, containerd's
 * go-cni {@code loadFromConfDir} and CRI-O's ocicni {@code loadNetworks} consider the files ending in
 * {@code .conf}, {@code .conflist} or {@code .json} and sort the names bytewise (Go {@code sort.Strings}).
 * containerd's CRI plugin keeps the first {@code max_conf_num} files (default 1) and fails hard when one of them
 * does not load; CRI-O skips files that fail to load and uses the first valid one (unless
 * {@code cni_default_network} names another). "Valid" here is what can be decided from the file alone: it parses
 * as one JSON object and its content matches its extension (a {@code .conflist} with a non-empty {@code plugins}
 * list of typed plugins, a {@code .conf}/{@code .json} with a top-level {@code type}); CRI-O additionally skips a
 * file whose plugin binaries are missing, which needs node facts and is not decided here.
 *
 * <p>Rules: {@code CNI070} (info) the file the runtimes load; {@code CNI071} (warning) a valid file that is never
 * used; {@code CNI072} (error) containerd's first file does not load while a valid one follows; {@code CNI073}
 * (warning) a runtime's sample config is loaded instead of the real network; {@code CNI074} (warning) a network
 * name used by two files; {@code CNI075} (warning) one bridge with different subnets; {@code CNI076} (warning)
 * overlapping host-local subnets across files. All CIDR arithmetic uses seancfoley {@code inet.ipaddr}.
 */
public final class NetDirRules implements Check {
    /** Extensions libcni, containerd and CRI-O load from the configuration directory. */
    public static final Set<String> LOADED_EXTENSIONS = Set.of(".conf", ".conflist", ".json");

    /** Default bridge name of the reference bridge plugin and of flannel's bridge delegate. */
    static final String DEFAULT_BRIDGE = "cni0";

    /** File names of the sample configs that runtimes and packages install, to the runtime that installs them. */
    static final Map<String, String> SAMPLE_FILES = Map.ofEntries(
            Map.entry("10-containerd-net.conflist", "containerd"),
            Map.entry("87-podman-bridge.conflist", "podman"),
            Map.entry("10-crio-bridge.conf", "CRI-O"),
            Map.entry("10-crio-bridge.conflist", "CRI-O"),
            Map.entry("100-crio-bridge.conf", "CRI-O"),
            Map.entry("100-crio-bridge.conflist", "CRI-O"),
            Map.entry("11-crio-ipv4-bridge.conflist", "CRI-O"),
            Map.entry("99-loopback.conf", "the CNI/CRI-O packages"),
            Map.entry("99-loopback.conflist", "the CNI/CRI-O packages"),
            Map.entry("200-loopback.conf", "CRI-O"));

    /** Network names of the runtimes' sample configs, to the runtime that installs them. */
    static final Map<String, String> SAMPLE_NETWORKS = Map.of(
            "containerd-net", "containerd",
            "podman", "podman",
            "crio", "CRI-O",
            "crio-bridge", "CRI-O");

    /**
     * One file a runtime would try to load.
     *
     * @param file    the source file
     * @param config  the CNI config it holds, or null when it does not hold exactly one
     * @param problem why a runtime would refuse it, or null when it is valid
     */
    record Candidate(SourceFile file, CniConfig config, String problem) {
        boolean valid() {
            return problem == null;
        }

        String name() {
            return file.input().fileName();
        }
    }

    /** A subnet of a config with where it is written. */
    record Subnet(CniConfig config, String pointer, IPAddress block, String text) {
    }

    /** A bridge a config attaches pods to, with its subnets (empty when not known from the file). */
    record Bridge(CniConfig config, String name, String pointer, boolean gateway, List<Subnet> subnets) {
    }

    @Override
    public void run(Workspace workspace, Reporter reporter) {
        Map<String, List<SourceFile>> byDir = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        for (SourceFile f : workspace.files()) {
            if (LOADED_EXTENSIONS.contains(f.extension()) && seen.add(f.path())) {
                byDir.computeIfAbsent(f.input().directory(), k -> new ArrayList<>()).add(f);
            }
        }
        for (Map.Entry<String, List<SourceFile>> e : byDir.entrySet()) {
            reporter.checkCanceled();
            List<SourceFile> files = new ArrayList<>(e.getValue());
            files.sort((a, b) -> compareBytes(a.input().fileName(), b.input().fileName()));
            boolean netD = e.getKey().equals("net.d") || e.getKey().endsWith("/net.d")
                    || e.getKey().endsWith("\\net.d");
            if (!looksLikeConfDir(e.getKey())) {
                continue;
            }
            List<Candidate> cands = files.stream().map(NetDirRules::candidate)
                    .filter(c -> netD || c.config() != null || !c.file().extension().equals(".json")).toList();
            if (cands.size() < 2 || cands.stream().noneMatch(c -> c.config() != null)) {
                continue;
            }
            directory(e.getKey(), cands, reporter);
        }
    }

    /**
     * True for a directory a runtime could load as its CNI conf dir: its own name contains {@code net.d} or
     * {@code cni} ({@code /etc/cni/net.d}, {@code nodes/a/net.d}, {@code deploy/cni}). A folder of unrelated
     * example configs ({@code samples/broken}) is not one, and comparing its files with each other would be noise.
     */
    public static boolean looksLikeConfDir(String dir) {
        String d = dir.replace('\\', '/');
        String last = d.substring(d.lastIndexOf('/') + 1).toLowerCase(java.util.Locale.ROOT);
        return last.contains("net.d") || last.contains("cni");
    }

    private void directory(String dir, List<Candidate> cands, Reporter r) {
        Candidate first = cands.get(0);
        Candidate winner = cands.stream().filter(Candidate::valid).findFirst().orElse(null);
        if (winner == null) {
            return; // every file is broken: their own syntax/schema findings say why
        }
        List<String> others = cands.stream().filter(c -> c != winner).map(Candidate::name).toList();
        boolean multus = isMultus(winner.config());
        // CNI072: containerd stops at a broken first file.
        if (!first.valid()) {
            r.report("CNI072", first.file().path(), fileRange(first), "containerd loads only the first file of " + dir
                    + " and this one " + first.problem() + ": containerd fails (\"failed to load CNI config\") and the "
                    + "node stays NotReady, while CRI-O skips it and uses " + winner.name() + "; fix or delete this "
                    + "file", List.of());
        }
        // CNI070: which file is loaded.
        String what = winner.config().name().isEmpty() ? "a network without \"name\""
                : "network \"" + winner.config().name() + "\"";
        String msg;
        if (first == winner) {
            msg = "containerd and CRI-O load this file (" + what + ") because it sorts first in " + dir + "; "
                    + (multus ? "Multus then reads the other files as delegates" : "containerd uses only this one "
                    + "(max_conf_num = 1) and CRI-O uses it unless cni_default_network names another, so "
                    + String.join(", ", others) + (others.size() == 1 ? " is" : " are") + " not used");
        } else {
            msg = "CRI-O loads this file (" + what + "): it is the first valid one in " + dir + " (CRI-O skips "
                    + first.name() + "); containerd stops at " + first.name() + " instead";
        }
        r.reportKey("CNI070", winner.config().doc(), "/name", msg, List.of());
        // CNI073: a runtime's sample config is what gets loaded.
        String sampleOf = sampleOf(winner);
        if (sampleOf != null) {
            Candidate real = cands.stream().filter(c -> c.valid() && c != winner && sampleOf(c) == null)
                    .findFirst().orElse(null);
            if (real != null) {
                String subnets = String.join(", ", subnets(winner.config()).stream().map(Subnet::text).toList());
                r.reportKey("CNI073", winner.config().doc(), "/name", winner.name() + " is " + sampleOf
                        + "'s sample config and sorts before " + real.name() + " (network \"" + real.config().name()
                        + "\"): the runtime loads the sample, so pods get " + (subnets.isEmpty()
                        ? "the sample's network" : "addresses from " + subnets) + " instead; delete the sample "
                        + "from " + dir, related(real, "the network meant for pods"));
            }
        }
        // CNI071: valid files that are never used.
        if (!multus) {
            for (Candidate c : cands) {
                if (c.valid() && c != winner && c != first) {
                    String loaders = first == winner ? "containerd (max_conf_num = 1) and CRI-O load only "
                            + winner.name() : "containerd loads only " + first.name() + " (max_conf_num = 1) and "
                            + "CRI-O only " + winner.name();
                    r.reportKey("CNI071", c.config().doc(), "/name", c.name() + " is never used: " + loaders
                            + "; delete this file, or rename it to sort first if it is the network you want",
                            related(winner, "the file that is loaded"));
                }
            }
        }
        List<CniConfig> configs = cands.stream().filter(Candidate::valid).map(Candidate::config).toList();
        duplicateNames(configs, r);
        Set<String> reportedPairs = new HashSet<>();
        bridges(configs, r, reportedPairs);
        overlaps(configs, r, reportedPairs);
    }

    /** CNI074: a network name used by an earlier file of the same directory. */
    private static void duplicateNames(List<CniConfig> configs, Reporter r) {
        Map<String, CniConfig> byName = new HashMap<>();
        for (CniConfig c : configs) {
            if (c.name().isEmpty()) {
                continue;
            }
            CniConfig earlier = byName.putIfAbsent(c.name(), c);
            if (earlier != null) {
                r.report("CNI074", c.doc(), "/name", "network name \"" + c.name() + "\" is also used by "
                        + earlier.file().input().fileName() + ": CRI-O keeps only the first file with a name and "
                        + "host-local keeps leases per name (/var/lib/cni/networks/" + c.name() + "), so the two "
                        + "networks hand out the same addresses; give this network a unique name",
                        List.of(new Diagnostic.Related(earlier.path(), earlier.doc().rangeOf("/name"),
                                "first network named \"" + c.name() + "\"")));
            }
        }
    }

    /** CNI075: the same bridge with different subnets in two files. */
    private static void bridges(List<CniConfig> configs, Reporter r, Set<String> reportedPairs) {
        List<Bridge> all = new ArrayList<>();
        configs.forEach(c -> all.addAll(bridgesOf(c)));
        for (int j = 0; j < all.size(); j++) {
            Bridge b = all.get(j);
            for (int i = 0; i < j; i++) {
                Bridge a = all.get(i);
                if (a.config() == b.config() || !a.name().equals(b.name())) {
                    continue;
                }
                for (boolean v4 : new boolean[] {true, false}) {
                    Subnet sa = firstOf(a.subnets(), v4);
                    Subnet sb = firstOf(b.subnets(), v4);
                    if (sa == null || sb == null || sa.block().equals(sb.block())) {
                        continue;
                    }
                    String consequence = a.gateway() && b.gateway()
                            ? "whichever network starts second fails with 'failed to set bridge addr: \"" + b.name()
                            + "\" already has an IP address different from ...' (or, with forceAddress, takes the "
                            + "address away from the other)"
                            : "pods of both networks share one layer-2 segment with different subnets";
                    r.report("CNI075", b.config().doc(), b.pointer(), "bridge \"" + b.name() + "\" is also used by "
                            + a.config().file().input().fileName() + " with subnet " + sa.text()
                            + ", but this network uses " + sb.text() + ": " + consequence
                            + "; give one of the networks its own bridge name",
                            List.of(new Diagnostic.Related(a.config().path(), a.config().doc().rangeOf(a.pointer()),
                                    "bridge \"" + a.name() + "\" with " + sa.text())));
                    reportedPairs.add(pairKey(a.config(), b.config()));
                    break;
                }
            }
        }
    }

    /** CNI076: host-local subnets that overlap across files. */
    private static void overlaps(List<CniConfig> configs, Reporter r, Set<String> reportedPairs) {
        for (int j = 0; j < configs.size(); j++) {
            CniConfig b = configs.get(j);
            List<Subnet> bs = subnets(b);
            for (int i = 0; i < j; i++) {
                CniConfig a = configs.get(i);
                if (a.file() == b.file() || reportedPairs.contains(pairKey(a, b))) {
                    continue;
                }
                found:
                for (Subnet sb : bs) {
                    for (Subnet sa : subnets(a)) {
                        if (sa.block().isIPv4() == sb.block().isIPv4() && sa.block().overlaps(sb.block())) {
                            r.report("CNI076", b.doc(), sb.pointer(), "subnet " + sb.text() + " overlaps "
                                    + sa.text() + " of " + a.file().input().fileName() + " (network \"" + a.name()
                                    + "\"): if both networks run on this node, pods get duplicate addresses and "
                                    + "the host routes one prefix two ways; use disjoint ranges",
                                    List.of(new Diagnostic.Related(a.path(), a.doc().rangeOf(sa.pointer()),
                                            "overlapping subnet " + sa.text())));
                            break found;
                        }
                    }
                }
            }
        }
    }

    private static String pairKey(CniConfig a, CniConfig b) {
        return a.path() + "\u0000" + b.path();
    }

    private static Subnet firstOf(List<Subnet> subnets, boolean v4) {
        return subnets.stream().filter(s -> s.block().isIPv4() == v4).findFirst().orElse(null);
    }

    /** The bridge plugins of a config, with the bridge name ({@code cni0} when unset) and host-local subnets. */
    static List<Bridge> bridgesOf(CniConfig c) {
        List<Bridge> out = new ArrayList<>();
        for (CniConfig.Plugin p : c.plugins()) {
            JsonNode node = p.node();
            if (p.type().equals("bridge")) {
                JsonNode name = node.get("bridge");
                boolean named = name != null && name.isTextual() && !name.asText().isEmpty();
                out.add(new Bridge(c, named ? name.asText() : DEFAULT_BRIDGE, named ? p.pointer() + "/bridge"
                        : p.pointer() + "/type", node.path("isGateway").asBoolean(false)
                        || node.path("isDefaultGateway").asBoolean(false), ipamSubnets(c, p.ipamPointer(),
                        p.ipam())));
            }
        }
        return out;
    }

    /** Every host-local subnet of a config (legacy {@code subnet} and {@code ranges}), as prefix blocks. */
    static List<Subnet> subnets(CniConfig c) {
        List<Subnet> out = new ArrayList<>();
        for (CniConfig.Plugin p : c.plugins()) {
            out.addAll(ipamSubnets(c, p.ipamPointer(), p.ipam()));
        }
        return out;
    }

    private static List<Subnet> ipamSubnets(CniConfig c, String ptr, JsonNode ipam) {
        List<Subnet> out = new ArrayList<>();
        if (!ipam.isObject() || !"host-local".equals(ipam.path("type").asText(""))) {
            return out;
        }
        addSubnet(out, c, ptr + "/subnet", ipam.get("subnet"));
        JsonNode ranges = ipam.get("ranges");
        if (ranges != null && ranges.isArray()) {
            for (int i = 0; i < ranges.size(); i++) {
                JsonNode set = ranges.get(i);
                if (set.isArray()) {
                    for (int j = 0; j < set.size(); j++) {
                        addSubnet(out, c, ptr + "/ranges/" + i + "/" + j + "/subnet", set.get(j).get("subnet"));
                    }
                }
            }
        }
        return out;
    }

    private static void addSubnet(List<Subnet> out, CniConfig c, String pointer, JsonNode v) {
        if (v == null || !v.isTextual()) {
            return;
        }
        IPAddress a = new IPAddressString(v.asText().trim()).getAddress();
        if (a == null || !a.isPrefixed()) {
            return; // not a CIDR: the per-file IPAM rules report it
        }
        out.add(new Subnet(c, pointer, a.toPrefixBlock(), v.asText().trim()));
    }

    /** The runtime whose sample config this is (by file name or network name), or null. */
    static String sampleOf(Candidate c) {
        String byFile = SAMPLE_FILES.get(c.name());
        if (byFile != null) {
            return byFile;
        }
        if (c.config() == null) {
            return null;
        }
        String byName = SAMPLE_NETWORKS.get(c.config().name());
        if (byName != null) {
            return byName;
        }
        List<CniConfig.Plugin> ps = c.config().plugins();
        if (!ps.isEmpty() && ps.stream().allMatch(p -> p.type().equals("loopback"))) {
            return "a loopback-only config (a runtime package)";
        }
        return null;
    }

    private static boolean isMultus(CniConfig c) {
        return c.plugins().stream().anyMatch(p -> p.type().equals("multus") || p.type().equals("multus-shim"));
    }

    private static List<Diagnostic.Related> related(Candidate c, String what) {
        return List.of(new Diagnostic.Related(c.file().path(), c.config().doc().keyRangeOf("/name"), what));
    }

    private static Range fileRange(Candidate c) {
        if (c.config() != null) {
            return c.config().doc().keyRangeOf("");
        }
        return Range.FILE_START;
    }

    /** Classifies one file as a runtime would when loading it; see the class comment. */
    static Candidate candidate(SourceFile f) {
        String ext = f.extension();
        if (f.text() == null) {
            return new Candidate(f, null, "is not UTF-8 text");
        }
        if (f.parse() == null || f.docs().isEmpty()) {
            return new Candidate(f, null, f.parse() != null && !f.parse().hasErrors() ? "is empty"
                    : "is not valid JSON");
        }
        if (!f.parsedCleanly()) {
            return new Candidate(f, null, "is not valid JSON");
        }
        if (f.docs().size() != 1 || !f.text().text().strip().startsWith("{")) {
            return new Candidate(f, null, "is not a single JSON object");
        }
        SourceFile.Doc d = f.docs().get(0);
        SourceDoc doc = d.doc();
        CniConfig cfg = d.kind() == DocKind.CNI_CONF || d.kind() == DocKind.CNI_CONFLIST
                ? new CniConfig(f, doc, d.kind() == DocKind.CNI_CONFLIST) : null;
        JsonNode root = doc.root();
        if (cfg == null) {
            return new Candidate(f, null, "is not a CNI network configuration");
        }
        if (ext.equals(".conflist")) {
            JsonNode plugins = root.get("plugins");
            if (plugins == null) {
                return new Candidate(f, cfg, "is a single-plugin config saved as .conflist (libcni finds no "
                        + "\"plugins\")");
            }
            if (!plugins.isArray() || plugins.isEmpty()) {
                return new Candidate(f, cfg, "has no plugins in its \"plugins\" list");
            }
            for (int i = 0; i < plugins.size(); i++) {
                JsonNode t = plugins.get(i).get("type");
                if (t == null || !t.isTextual() || t.asText().isEmpty()) {
                    return new Candidate(f, cfg, "has a plugin without \"type\" (plugins[" + i + "])");
                }
            }
            return new Candidate(f, cfg, null);
        }
        JsonNode t = root.get("type");
        if (t == null || !t.isTextual() || t.asText().isEmpty()) {
            return new Candidate(f, cfg, "is a conflist saved as " + ext + " (read as a single-plugin config it "
                    + "has no \"type\": \"network type not found\")");
        }
        return new Candidate(f, cfg, null);
    }

    /** Compares two names by their UTF-8 bytes (Go's {@code sort.Strings}, used by libcni, go-cni, ocicni). */
    public static int compareBytes(String a, String b) {
        return Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

}
