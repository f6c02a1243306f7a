package dev.podnet.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podnet.inventory.Entities.NamespaceInfo;
import dev.podnet.inventory.Entities.PodInfo;
import dev.podnet.inventory.Entities.PolicyInfo;
import dev.podnet.inventory.Inventory;
import dev.podnet.inventory.InventoryBuilder;
import dev.podnet.inventory.LabelSelectors;
import dev.podnet.inventory.SourceRef;
import dev.podnet.lint.DocKind;
import dev.podnet.lint.SourceFile;
import dev.podnet.reach.ReachabilityCheck;
import dev.podnet.ruleset.PolicyMatch;
import dev.podnet.source.Range;
import dev.podnet.source.SourceDoc;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.lsp4j.CodeLens;
import org.eclipse.lsp4j.Command;
import org.eclipse.lsp4j.CompletionItem;
import org.eclipse.lsp4j.CompletionItemKind;
import org.eclipse.lsp4j.Hover;
import org.eclipse.lsp4j.MarkupContent;
import org.eclipse.lsp4j.MarkupKind;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.TextEdit;
import org.eclipse.lsp4j.jsonrpc.messages.Either;

/**
 * Editor features over the cluster {@link Inventory} (the workspace's manifests): what a selector matches, what a
 * NetworkPolicy selects and allows, label completion in selectors. The buffer is read as the lint engine reads
 * it ({@link Manifests}); pods and namespaces come from the inventory, so a selector is matched against the
 * workspace as last validated. Selection semantics: {@link PolicyMatch} (podSelector = pods of the policy's
 * namespace; namespaceSelector = all pods of matching namespaces; both = ANDed) and {@link LabelSelectors}.
 * Host-network pods are never selected. Never throws for any text.
 */
public final class InventoryFeatures {
    /** How many names a hover lists before "and N more". */
    public static final int NAMES_SHOWN = 5;

    private static final Pattern PEER = Pattern.compile("^/spec/(ingress|egress)/(\\d+)/(from|to)/(\\d+)(/.*)?$");

    private InventoryFeatures() {
    }

    /** A Kubernetes object of the buffer and its parsed policy (null when not a NetworkPolicy or unreadable). */
    private record Obj(SourceRef ref, JsonNode node, NetworkPolicy policy) {
        String namespace() {
            return InventoryBuilder.namespaceOf(node);
        }
    }

    private static List<Obj> objects(TextDocument doc) {
        List<Obj> out = new ArrayList<>();
        for (SourceFile.Doc d : Manifests.docs(doc)) {
            if (d.kind() != DocKind.MANIFEST) {
                continue;
            }
            for (SourceRef r : InventoryBuilder.objects(d.doc())) {
                JsonNode n = d.doc().at(r.base());
                NetworkPolicy p = null;
                if ("NetworkPolicy".equals(n.path("kind").asText())) {
                    try {
                        p = InventoryBuilder.convert(n, NetworkPolicy.class);
                    } catch (Exception | StackOverflowError e) {
                        p = null;
                    }
                }
                out.add(new Obj(r, n, p));
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- hover

    /**
     * Hover inside a NetworkPolicy: on {@code spec.podSelector}, the pods the policy selects; on a peer of
     * {@code from}/{@code to}, the pods it matches (on its {@code namespaceSelector}, the namespaces too); on
     * {@code kind} or {@code metadata.name}, the pods selected and a summary of what the policy allows per
     * direction. The hover range is the key of the selector (the peer's value for a whole peer, the key or value
     * under the cursor for the policy).
     */
    public static Optional<Hover> hover(TextDocument doc, Position pos, Inventory inv) {
        if (inv == null) {
            return Optional.empty();
        }
        int line = pos.getLine();
        int ch = pos.getCharacter();
        for (Obj o : objects(doc)) {
            if (o.policy() == null) {
                continue;
            }
            SourceDoc sd = o.ref().doc();
            String base = o.ref().base();
            String ptr = deepest(sd, base, line, ch);
            if (ptr == null) {
                continue;
            }
            String rel = ptr.substring(base.length());
            String ns = o.namespace();
            if (rel.equals("/kind") || rel.equals("/metadata/name")) {
                Range r = sd.keyRanges().get(ptr).contains(line, ch) ? sd.keyRanges().get(ptr)
                        : sd.valueRanges().get(ptr);
                return Optional.of(hover(policySummary(o.policy(), ns, inv), r));
            }
            if (rel.startsWith("/spec/podSelector")) {
                List<PodInfo> pods = selected(o.policy(), ns, inv);
                return Optional.of(hover("**podSelector** selects " + pods(pods) + " in namespace `" + ns + "`",
                        sd.keyRangeOf(base + "/spec/podSelector")));
            }
            Matcher m = PEER.matcher(rel);
            if (m.matches()) {
                NetworkPolicyPeer peer = peer(o.policy(), m.group(1), Integer.parseInt(m.group(2)),
                        Integer.parseInt(m.group(4)));
                if (peer == null || peer.getIpBlock() != null) {
                    return Optional.empty();
                }
                String peerPtr = base + rel.substring(0, rel.length() - (m.group(5) == null ? 0 : m.group(5).length()));
                String rest = m.group(5) == null ? "" : m.group(5);
                List<PodInfo> pods = inv.podsAndWorkloads().stream()
                        .filter(p -> PolicyMatch.peerMatches(peer, ns, p, inv)).toList();
                if (rest.startsWith("/namespaceSelector") && peer.getNamespaceSelector() != null) {
                    List<String> nss = inv.allNamespaces().stream()
                            .filter(n -> LabelSelectors.matches(peer.getNamespaceSelector(), n.labels()))
                            .map(NamespaceInfo::name).toList();
                    return Optional.of(hover("**namespaceSelector** matches " + names(nss, "namespace")
                            + "\n\nThe peer matches " + pods(pods), sd.keyRangeOf(peerPtr + "/namespaceSelector")));
                }
                if (rest.startsWith("/podSelector")) {
                    return Optional.of(hover("**podSelector** (" + describe(peer, ns) + ") matches " + pods(pods),
                            sd.keyRangeOf(peerPtr + "/podSelector")));
                }
                return Optional.of(hover("**peer** (" + describe(peer, ns) + ") matches " + pods(pods),
                        sd.rangeOf(peerPtr)));
            }
        }
        return Optional.empty();
    }

    private static Hover hover(String markdown, Range r) {
        return new Hover(new MarkupContent(MarkupKind.MARKDOWN, markdown), LspDiagnostics.range(r));
    }

    /** The longest pointer under {@code base} whose key or value range holds the position, or null. */
    private static String deepest(SourceDoc sd, String base, int line, int ch) {
        String best = null;
        for (Map<String, Range> m : List.of(sd.keyRanges(), sd.valueRanges())) {
            for (Map.Entry<String, Range> e : m.entrySet()) {
                String p = e.getKey();
                if ((p.equals(base) || p.startsWith(base + "/")) && e.getValue().contains(line, ch)
                        && (best == null || p.length() > best.length())) {
                    best = p;
                }
            }
        }
        return best;
    }

    private static NetworkPolicyPeer peer(NetworkPolicy p, String dir, int rule, int peer) {
        if (p.getSpec() == null) {
            return null;
        }
        List<NetworkPolicyPeer> peers = null;
        if (dir.equals("ingress") && p.getSpec().getIngress() != null && rule < p.getSpec().getIngress().size()) {
            peers = p.getSpec().getIngress().get(rule).getFrom();
        } else if (dir.equals("egress") && p.getSpec().getEgress() != null
                && rule < p.getSpec().getEgress().size()) {
            peers = p.getSpec().getEgress().get(rule).getTo();
        }
        return peers == null || peer >= peers.size() ? null : peers.get(peer);
    }

    /** The pods and workload templates the policy selects (in its namespace; not host-network). */
    public static List<PodInfo> selected(NetworkPolicy p, String namespace, Inventory inv) {
        PolicyInfo info = new PolicyInfo(namespace, p.getMetadata() == null ? "" : p.getMetadata().getName(), p, null);
        return inv.podsAndWorkloads().stream().filter(pod -> PolicyMatch.selects(info, pod)).toList();
    }

    /**
     * The policy hover: what it selects, then one line per direction: "not isolated" when the direction is not
     * in the (defaulted) policyTypes, "isolated: nothing allowed" without rules, else each rule as
     * "from PEERS on PORTS" joined by "; ".
     */
    static String policySummary(NetworkPolicy p, String ns, Inventory inv) {
        String name = p.getMetadata() == null ? "" : p.getMetadata().getName();
        StringBuilder b = new StringBuilder("**NetworkPolicy " + ns + "/" + name + "** selects "
                + pods(selected(p, ns, inv)) + "\n\n");
        List<String> types = PolicyMatch.policyTypes(p);
        var spec = p.getSpec();
        List<String> in = new ArrayList<>();
        if (spec != null && spec.getIngress() != null) {
            spec.getIngress().forEach(r -> in.add("from " + peers(r.getFrom(), ns) + " on " + ports(r.getPorts())));
        }
        List<String> out = new ArrayList<>();
        if (spec != null && spec.getEgress() != null) {
            spec.getEgress().forEach(r -> out.add("to " + peers(r.getTo(), ns) + " on " + ports(r.getPorts())));
        }
        b.append("- Ingress: ").append(direction(types.contains("Ingress"), in)).append('\n');
        b.append("- Egress: ").append(direction(types.contains("Egress"), out));
        return b.toString();
    }

    private static String direction(boolean isolated, List<String> rules) {
        if (!isolated) {
            return "not isolated (this policy does not restrict it)";
        }
        if (rules.isEmpty()) {
            return "isolated, nothing allowed";
        }
        return "isolated, allows " + String.join("; ", rules);
    }

    private static String peers(List<NetworkPolicyPeer> peers, String ns) {
        if (peers == null || peers.isEmpty()) {
            return "anywhere";
        }
        List<String> out = new ArrayList<>();
        peers.forEach(p -> out.add(describe(p, ns)));
        return String.join(" or ", out);
    }

    /** One peer in words: "pods {app=web} in shop", "all pods in namespaces {team=x}", "ipBlock 10.0.0.0/8". */
    static String describe(NetworkPolicyPeer p, String ns) {
        if (p.getIpBlock() != null) {
            String except = p.getIpBlock().getExcept() == null || p.getIpBlock().getExcept().isEmpty() ? ""
                    : " except " + String.join(", ", p.getIpBlock().getExcept());
            return "ipBlock " + p.getIpBlock().getCidr() + except;
        }
        String pods = p.getPodSelector() == null || LabelSelectors.isEmpty(p.getPodSelector()) ? "all pods"
                : "pods " + selector(p.getPodSelector());
        if (p.getNamespaceSelector() == null) {
            return pods + " in " + ns;
        }
        return pods + " in " + (LabelSelectors.isEmpty(p.getNamespaceSelector()) ? "all namespaces"
                : "namespaces " + selector(p.getNamespaceSelector()));
    }

    /** A selector in the kubectl form: {@code {app=web, tier in (a,b), debug}}. */
    static String selector(LabelSelector s) {
        List<String> parts = new ArrayList<>();
        if (s.getMatchLabels() != null) {
            new TreeMap<>(s.getMatchLabels()).forEach((k, v) -> parts.add(k + "=" + v));
        }
        if (s.getMatchExpressions() != null) {
            for (LabelSelectorRequirement r : s.getMatchExpressions()) {
                String vs = r.getValues() == null ? "" : String.join(",", r.getValues());
                parts.add(switch (r.getOperator() == null ? "" : r.getOperator()) {
                    case "In" -> r.getKey() + " in (" + vs + ")";
                    case "NotIn" -> r.getKey() + " notin (" + vs + ")";
                    case "Exists" -> r.getKey();
                    case "DoesNotExist" -> "!" + r.getKey();
                    default -> r.getKey() + " " + r.getOperator() + " (" + vs + ")";
                });
            }
        }
        return "{" + String.join(", ", parts) + "}";
    }

    private static String ports(List<NetworkPolicyPort> ports) {
        if (ports == null || ports.isEmpty()) {
            return "all ports";
        }
        List<String> out = new ArrayList<>();
        for (NetworkPolicyPort p : ports) {
            String proto = p.getProtocol() == null ? "TCP" : p.getProtocol();
            String port = p.getPort() == null ? "all" : p.getPort().getIntVal() != null
                    ? String.valueOf(p.getPort().getIntVal()) : p.getPort().getStrVal();
            out.add(proto + "/" + port + (p.getEndPort() == null ? "" : "-" + p.getEndPort()));
        }
        return String.join(", ", out);
    }

    /** "N pods: `ns/a` (Deployment), `ns/b`, ... and K more" ("no pods" when empty). */
    static String pods(List<PodInfo> pods) {
        List<String> names = new ArrayList<>();
        for (PodInfo p : pods) {
            names.add("`" + p.key() + "`" + (p.isPod() ? "" : " (" + p.kind() + ")"));
        }
        return count(names, "pod");
    }

    private static String names(List<String> names, String noun) {
        return count(names.stream().map(n -> "`" + n + "`").toList(), noun);
    }

    private static String count(List<String> items, String noun) {
        if (items.isEmpty()) {
            return "no " + noun + "s";
        }
        String head = items.size() + " " + noun + (items.size() == 1 ? "" : "s") + ": "
                + String.join(", ", items.subList(0, Math.min(NAMES_SHOWN, items.size())));
        return items.size() > NAMES_SHOWN ? head + " and " + (items.size() - NAMES_SHOWN) + " more" : head;
    }

    // ---------------------------------------------------------------- code lens

    /**
     * A lens on the {@code kind} key of each NetworkPolicy: "selects N pods · M unreachable", where N counts the
     * pods and workload templates of the inventory the policy selects and M those of them the reachability
     * analysis found unreachable ({@link ReachabilityCheck.Unreachable}, RCH001's notion). M is shown when it is 0
     * too ("· 0 unreachable": the lens keeps its shape, as rust-analyzer's "0 references" lenses do); the part is
     * left out only when no reachability result exists for the inventory. The lens's command is
     * {@link #SHOW_PODS} with the pods as its argument ({@link #showPodsArgument}), unreachable ones first.
     *
     * @param unreachable the reachability result of the validation the inventory comes from, or null when none
     */
    public static List<CodeLens> codeLenses(TextDocument doc, Inventory inv,
                                            ReachabilityCheck.Unreachable unreachable) {
        List<CodeLens> out = new ArrayList<>();
        if (inv == null) {
            return out;
        }
        for (Obj o : objects(doc)) {
            if (o.policy() == null) {
                continue;
            }
            List<PodInfo> pods = selected(o.policy(), o.namespace(), inv);
            String name = o.policy().getMetadata() == null ? "" : o.policy().getMetadata().getName();
            CodeLens lens = new CodeLens(LspDiagnostics.range(o.ref().keyRange("/kind")),
                    new Command(lensTitle(pods, unreachable), SHOW_PODS,
                            List.of(showPodsArgument(o.namespace() + "/" + name, pods, unreachable))), null);
            out.add(lens);
        }
        return out;
    }

    /** The command of the policy lens: the server lists the pods and reveals the first one. */
    public static final String SHOW_PODS = "podnet.showPods";
    /** How many pods a lens's command argument carries. */
    public static final int PODS_IN_COMMAND = 50;

    /**
     * The argument of a {@link #SHOW_PODS} command: {@code {"policy": "ns/name", "selected": N, "unreachable": M,
     * "pods": [{"name": "Pod ns/x", "unreachable": true, "uri": "file:///...", "range": {start, end}}]}}, the
     * pods unreachable first then in inventory order, at most {@link #PODS_IN_COMMAND}; {@code unreachable}
     * (count and flags) only with a reachability result; {@code uri}/{@code range} (the pod's
     * {@code metadata.name}) only for pods read from a file.
     */
    static JsonObject showPodsArgument(String policy, List<PodInfo> pods, ReachabilityCheck.Unreachable unreachable) {
        JsonObject o = new JsonObject();
        o.addProperty("policy", policy);
        o.addProperty("selected", pods.size());
        List<PodInfo> order = new ArrayList<>(pods);
        if (unreachable != null) {
            order.sort(java.util.Comparator.comparing(p -> !unreachable.contains(p)));
            o.addProperty("unreachable", pods.stream().filter(unreachable::contains).count());
        }
        JsonArray list = new JsonArray();
        for (PodInfo p : order.subList(0, Math.min(PODS_IN_COMMAND, order.size()))) {
            JsonObject j = new JsonObject();
            j.addProperty("name", ReachabilityCheck.Unreachable.key(p));
            if (unreachable != null) {
                j.addProperty("unreachable", unreachable.contains(p));
            }
            if (p.source() != null) {
                j.addProperty("uri", p.source().file());
                Range r = p.source().keyRange("/metadata/name");
                JsonObject range = new JsonObject();
                range.add("start", position(r.startLine(), r.startChar()));
                range.add("end", position(r.endLine(), r.endChar()));
                j.add("range", range);
            }
            list.add(j);
        }
        o.add("pods", list);
        return o;
    }

    private static JsonObject position(int line, int ch) {
        JsonObject p = new JsonObject();
        p.addProperty("line", line);
        p.addProperty("character", ch);
        return p;
    }

    /**
     * What running {@link #SHOW_PODS} shows.
     *
     * @param message one line: "NetworkPolicy ns/name selects N pods (M unreachable): Pod ns/a (unreachable),
     *                Pod ns/b, ..." ("... and K more" past the pods the argument carries)
     * @param reveal  where the first pod listed is declared, or null when no listed pod came from a file
     */
    public record ShowPods(String message, org.eclipse.lsp4j.Location reveal) {
    }

    /**
     * Reads a {@link #SHOW_PODS} argument ({@link #showPodsArgument}); empty for anything else (an argument from
     * an older server, a hand-made command).
     */
    public static Optional<ShowPods> showPods(Object argument) {
        try {
            if (!(argument instanceof JsonObject o) || !o.has("pods") || !o.get("pods").isJsonArray()) {
                return Optional.empty();
            }
            int n = o.get("selected").getAsInt();
            StringBuilder b = new StringBuilder("NetworkPolicy " + o.get("policy").getAsString() + " selects "
                    + (n == 0 ? "no pods" : n + " pod" + (n == 1 ? "" : "s")));
            if (o.has("unreachable")) {
                b.append(" (").append(o.get("unreachable").getAsInt()).append(" unreachable)");
            }
            org.eclipse.lsp4j.Location reveal = null;
            List<String> names = new ArrayList<>();
            for (var e : o.getAsJsonArray("pods")) {
                JsonObject p = e.getAsJsonObject();
                boolean bad = p.has("unreachable") && p.get("unreachable").getAsBoolean();
                names.add(p.get("name").getAsString() + (bad ? " (unreachable)" : ""));
                if (reveal == null && p.has("uri") && p.has("range")) {
                    JsonObject r = p.getAsJsonObject("range");
                    reveal = new org.eclipse.lsp4j.Location(p.get("uri").getAsString(), new org.eclipse.lsp4j.Range(
                            lspPosition(r.getAsJsonObject("start")), lspPosition(r.getAsJsonObject("end"))));
                }
            }
            if (!names.isEmpty()) {
                b.append(": ").append(String.join(", ", names));
                if (n > names.size()) {
                    b.append(" and ").append(n - names.size()).append(" more");
                }
            }
            return Optional.of(new ShowPods(b.toString(), reveal));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Position lspPosition(JsonObject p) {
        return new Position(p.get("line").getAsInt(), p.get("character").getAsInt());
    }

    /** "selects N pod(s)", then " · M unreachable" when a reachability result is given. */
    static String lensTitle(List<PodInfo> selected, ReachabilityCheck.Unreachable unreachable) {
        int n = selected.size();
        String title = "selects " + n + " pod" + (n == 1 ? "" : "s");
        if (unreachable == null) {
            return title;
        }
        long m = selected.stream().filter(unreachable::contains).count();
        return title + " \u00b7 " + m + " unreachable";
    }

    // ---------------------------------------------------------------- completion

    /**
     * Label completion in a selector of a NetworkPolicy: under {@code matchLabels} the label keys (at a key
     * position) or the values of the key on the line (at its value); in {@code matchExpressions} the keys for
     * {@code key:} and the values of the item's key for a {@code values} item. Keys and values are those of pod
     * labels under {@code podSelector} (pods of the policy's namespace for {@code spec.podSelector}) and of
     * namespace labels under {@code namespaceSelector}. The edit replaces the word typed so far on the line.
     */
    public static List<CompletionItem> labelCompletion(TextDocument doc, Position pos, Inventory inv) {
        if (inv == null) {
            return List.of();
        }
        YamlPath at = YamlPath.at(doc.text(), pos.getLine(), pos.getCharacter());
        if (at == null) {
            return List.of();
        }
        List<String> path = at.keys();
        int sel = Math.max(path.lastIndexOf("podSelector"), path.lastIndexOf("namespaceSelector"));
        if (sel < 0 || !"NetworkPolicy".equals(at.kind())) {
            return List.of();
        }
        boolean namespaces = path.get(sel).equals("namespaceSelector");
        List<String> tail = path.subList(sel + 1, path.size());
        List<Map<String, String>> labels = new ArrayList<>();
        if (namespaces) {
            inv.allNamespaces().forEach(n -> labels.add(n.labels()));
        } else {
            boolean own = sel == 1 && path.get(0).equals("spec");
            String ns = at.namespace() == null ? "default" : at.namespace();
            inv.podsAndWorkloads().stream().filter(p -> !own || p.namespace().equals(ns))
                    .forEach(p -> labels.add(p.labels()));
        }
        String noun = namespaces ? "namespace" : "pod";
        if (tail.equals(List.of("matchLabels"))) {
            return at.key() == null ? keys(labels, at, noun) : values(labels, at.key(), at, noun);
        }
        if (tail.equals(List.of("matchExpressions", "-")) && "key".equals(at.key())) {
            return keys(labels, at, noun).stream().peek(i -> {
                TextEdit e = i.getTextEdit().getLeft();
                e.setNewText(i.getLabel());
            }).toList();
        }
        if (tail.equals(List.of("matchExpressions", "-", "values", "-")) && at.key() == null) {
            String key = at.siblingValue(path.size() - 3, "key");
            return key == null ? List.of() : values(labels, key, at, noun);
        }
        return List.of();
    }

    private static List<CompletionItem> keys(List<Map<String, String>> labels, YamlPath at, String noun) {
        Map<String, Integer> counts = new TreeMap<>();
        labels.forEach(l -> l.keySet().forEach(k -> counts.merge(k, 1, Integer::sum)));
        List<CompletionItem> out = new ArrayList<>();
        counts.forEach((k, n) -> out.add(item(k, k + ": ", "label on " + n + " " + noun + (n == 1 ? "" : "s"),
                CompletionItemKind.Property, at)));
        return out;
    }

    private static List<CompletionItem> values(List<Map<String, String>> labels, String key, YamlPath at,
                                               String noun) {
        Map<String, Integer> counts = new TreeMap<>();
        labels.forEach(l -> {
            if (l.containsKey(key)) {
                counts.merge(l.get(key), 1, Integer::sum);
            }
        });
        List<CompletionItem> out = new ArrayList<>();
        counts.forEach((v, n) -> out.add(item(v, v, n + " " + noun + (n == 1 ? "" : "s"),
                CompletionItemKind.Value, at)));
        return out;
    }

    private static CompletionItem item(String label, String text, String detail, CompletionItemKind kind,
                                       YamlPath at) {
        CompletionItem i = new CompletionItem(label);
        i.setKind(kind);
        i.setDetail(detail);
        i.setFilterText(label);
        i.setTextEdit(Either.forLeft(new TextEdit(new org.eclipse.lsp4j.Range(
                new Position(at.line(), at.wordStart()), new Position(at.line(), at.column())), text)));
        return i;
    }

    /** Label keys of the inventory's pods (for tests and the server's logging): sorted, distinct. */
    static TreeSet<String> podLabelKeys(Inventory inv) {
        TreeSet<String> out = new TreeSet<>();
        inv.podsAndWorkloads().forEach(p -> out.addAll(p.labels().keySet()));
        return out;
    }
}
