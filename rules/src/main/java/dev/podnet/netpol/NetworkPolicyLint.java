package dev.podnet.netpol;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podnet.config.ClusterFacts;
import dev.podnet.diag.Diagnostic;
import dev.podnet.fix.Fixes;
import dev.podnet.inventory.Entities.ContainerPort;
import dev.podnet.inventory.Entities.NamespaceInfo;
import dev.podnet.inventory.Entities.NodeInfo;
import dev.podnet.inventory.Entities.PodInfo;
import dev.podnet.inventory.Entities.PolicyInfo;
import dev.podnet.inventory.Entities.ServiceInfo;
import dev.podnet.inventory.Entities.ServicePort;
import dev.podnet.inventory.Inventory;
import dev.podnet.inventory.InventoryBuilder;
import dev.podnet.inventory.InventoryCheck;
import dev.podnet.inventory.LabelSelectors;
import dev.podnet.inventory.SourceRef;
import dev.podnet.lint.Reporter;
import dev.podnet.lint.Workspace;
import dev.podnet.netpol.PolicySemantics.Rule;
import dev.podnet.text.DidYouMean;
import inet.ipaddr.IPAddress;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.networking.v1.IPBlock;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Semantic NetworkPolicy lint (rule ids {@code NP040}-{@code NP099}, documented in
 * {@code podnet/rules/netpol.yaml}): policies the API server accepts that do not do what their author meant. It
 * reads the cluster {@link Inventory} built from the same workspace (pods, workload templates, namespaces declared
 * or assumed, Services, Nodes, the {@code cluster:} facts of {@code podnet.yaml}) and answers per-rule questions with
 * {@link PolicySemantics}.
 *
 * <p>Rules that depend on the inventory stay silent when it has nothing to compare with (for example a selector is
 * only called dangling when the namespaces it looks at contain pods), and say so when they rely on a namespace that
 * no manifest declares ("assuming namespace 'x' exists with only the kubernetes.io/metadata.name label").
 */
public final class NetworkPolicyLint implements InventoryCheck {
    private static final int DNS_PORT = 53;

    /** {@inheritDoc} Here: every policy against the pods it selects and its peers. */
    @Override
    public int relativeCost() {
        return 4;
    }

    @Override
    public void run(Workspace ws, Reporter r) {
        Inventory inv = InventoryBuilder.of(ws);
        if (inv.policies().isEmpty()) {
            return;
        }
        new Run(inv, r, ws.memo()).all();
    }

    /**
     * The findings of {@code Run.policy} for one policy, kept across language-server runs: they depend on the policy,
     * the inventory without its policies ({@link Inventory#sameWorld}) and the names of the namespaces the run knows
     * (other policies' namespaceSelectors add assumed ones), and on nothing else.
     */
    private record PolicyResult(PolicyInfo policy, Inventory inv, List<String> namespaces, List<PodInfo> selected,
                                dev.podnet.lint.RecordedFindings findings) {
    }

    /** Per document: the kept {@link PolicyResult}s by the policy's pointer in the document. */
    private static final Workspace.Key<Map<String, PolicyResult>> RESULTS =
            new Workspace.Key<>("NetworkPolicy lint findings per policy");

    /**
     * How many label sets the "did you mean" hints of one run may score in all (NP040, NP041, NP042): each scoring
     * computes edit distances, so a folder of many misspelt selectors against many distinct label sets would
     * otherwise take minutes. Once a selector's candidates no longer fit, its finding says "check the labels"
     * instead of a hint; which selectors get hints depends only on the input order.
     */
    static final int SUGGESTION_BUDGET = 20_000;

    /** State of one run: indexes over the inventory. */
    private static final class Run {
        private final Inventory inv;
        /** What is left of {@link #SUGGESTION_BUDGET} in this run. */
        private final int[] suggestionBudget = {SUGGESTION_BUDGET};
        /** Where findings go: the run's reporter, or a recording of one policy's findings. */
        private Reporter r;
        private final dev.podnet.lint.LintMemo.Run memo;
        private final ClusterFacts facts;
        private final Map<String, List<PodInfo>> podsByNs = new HashMap<>();
        private final List<PodInfo> allPods;
        private final List<IPAddress> podRanges = new ArrayList<>();
        private final boolean podRangesKnown;
        /** The Service ClusterIP ranges of the cluster facts (one per IP family; empty when unknown). */
        private final List<IPAddress> serviceRanges;
        private final List<List<PodInfo>> selected = new ArrayList<>();
        private final Map<PodInfo, List<IPAddress>> ipsOf = new java.util.IdentityHashMap<>();
        private final List<PodInfo> podsWithIps = new ArrayList<>();
        /** The inventory's namespaces plus the ones every cluster has and the ones selectors name (assumed). */
        private final Map<String, NamespaceInfo> namespaces = new LinkedHashMap<>();
        private List<PodInfo> dnsPods;
        /** The labels that select the DNS pods: the DNS Service's selector, else {@code k8s-app: kube-dns}. */
        private Map<String, String> dnsSelector;
        private String dnsDescription;
        private boolean dnsAssumed;

        Run(Inventory inv, Reporter r, dev.podnet.lint.LintMemo.Run memo) {
            this.inv = inv;
            this.r = r;
            this.memo = memo;
            this.facts = inv.facts();
            this.allPods = inv.podsAndWorkloads();
            for (PodInfo p : allPods) {
                podsByNs.computeIfAbsent(p.namespace(), k -> new ArrayList<>()).add(p);
                if (!p.ips().isEmpty()) {
                    List<IPAddress> ips = new ArrayList<>();
                    for (String s : p.ips()) {
                        IPAddress ip = Cidrs.ip(s);
                        if (ip != null) {
                            ips.add(ip);
                        }
                    }
                    ipsOf.put(p, ips);
                    podsWithIps.add(p);
                }
            }
            podRanges.addAll(facts.podCIDRs());
            for (NodeInfo n : inv.nodes()) {
                for (String c : n.podCIDRs()) {
                    Cidrs.Parsed p = Cidrs.parse(c);
                    if (p != null && podRanges.stream().noneMatch(x -> x.contains(p.block()))) {
                        podRanges.add(p.block());
                    }
                }
            }
            podRangesKnown = !podRanges.isEmpty();
            if (!podRangesKnown) {
                for (String s : PolicySemantics.PRIVATE_RANGES) {
                    podRanges.add(Cidrs.parse(s).block());
                }
            }
            namespaces.putAll(inv.namespaces());
            List<String> implied = new ArrayList<>(List.of("default", "kube-system", "kube-public",
                    "kube-node-lease", facts.dnsNamespace()));
            Set<String> real = new java.util.HashSet<>(namespaces.keySet());
            real.addAll(implied);
            for (PolicyInfo p : inv.policies()) {
                for (String n : namesSelected(p.policy())) {
                    // A name a few edits away from a known namespace (DidYouMean.isClose) is more likely a typo than
                    // another namespace; a mere prefix ("prod" beside "prod-eu") is not taken for one.
                    if (real.contains(n) || real.stream().noneMatch(known -> DidYouMean.isClose(n, known))) {
                        implied.add(n);
                    }
                }
            }
            for (String n : implied) {
                namespaces.computeIfAbsent(n, k -> PolicySemantics.namespace(Map.of(), k));
            }
            serviceRanges = facts.serviceCIDRs();
        }

        void all() {
            List<PolicyInfo> ps = inv.policies();
            List<String> nsNames = memo.keeps() ? List.copyOf(namespaces.keySet()) : null;
            List<PolicyResult> kept = new ArrayList<>();
            for (PolicyInfo p : ps) {
                PolicyResult k = null;
                if (memo.keeps()) {
                    k = memo.perDoc(RESULTS, p.source().doc(), java.util.concurrent.ConcurrentHashMap::new)
                            .get(p.source().base());
                    if (k != null && !(k.policy() == p && k.inv().sameWorld(inv) && k.namespaces().equals(nsNames))) {
                        k = null;
                    }
                }
                kept.add(k);
                LabelSelector podSelector = PolicySemantics.podSelector(p.policy());
                selected.add(k != null ? k.selected() : PolicySemantics.isValid(podSelector)
                        ? candidates(p.namespace(), podSelector).stream().filter(pod -> PolicySemantics.selects(p, pod))
                        .toList() : null);
            }
            Map<String, PolicyInfo> names = new HashMap<>();
            for (int i = 0; i < ps.size(); i++) {
                if (i % 64 == 0) {
                    r.checkCanceled();
                }
                PolicyInfo p = ps.get(i);
                if (kept.get(i) != null) {
                    kept.get(i).findings().replay(r);
                } else if (memo.keeps()) {
                    Reporter live = r;
                    List<PodInfo> sel = selected.get(i);
                    dev.podnet.lint.RecordedFindings rec = dev.podnet.lint.RecordedFindings.record(live, x -> {
                        r = x;
                        try {
                            policy(p, sel);
                        } finally {
                            r = live;
                        }
                    });
                    memo.perDoc(RESULTS, p.source().doc(), java.util.concurrent.ConcurrentHashMap::new)
                            .put(p.source().base(), new PolicyResult(p, inv, nsNames, sel, rec));
                    rec.replay(r);
                } else {
                    policy(p, selected.get(i));
                }
                PolicyInfo first = names.putIfAbsent(p.namespace() + "/" + p.name(), p);
                if (first != null && !p.name().isEmpty()) {
                    SourceRef f = first.source();
                    r.report("NP060", p.source().doc(), p.source().ptr("/metadata/name"), "a NetworkPolicy named "
                            + p.name() + " is already defined in namespace " + p.namespace() + "; applying both keeps "
                            + "only the last one: rename one or merge them", List.of(new Diagnostic.Related(f.file(),
                            f.range("/metadata/name"), "first " + p.namespace() + "/" + p.name() + " here")));
                }
            }
            dns();
        }

        /** Pods and workloads by namespace, then by {@link LabelSelectors#indexKey} of each of their labels. */
        private final Map<String, Map<String, List<PodInfo>>> podsByNsLabel = new HashMap<>();

        /**
         * The pods and workloads of namespace {@code ns} that may match {@code sel}, in inventory order: those
         * carrying the selector's first matchLabels pair when it has one (a superset of the matches; the namespace's
         * label index is built on first use), else all of them.
         */
        private List<PodInfo> candidates(String ns, LabelSelector sel) {
            String first = sel == null ? null : LabelSelectors.firstIndexKey(sel.getMatchLabels());
            if (first == null) {
                return pods(ns);
            }
            return podsByNsLabel.computeIfAbsent(ns, n -> {
                Map<String, List<PodInfo>> byLabel = new HashMap<>();
                for (PodInfo x : pods(n)) {
                    x.labels().forEach((k, v) -> byLabel.computeIfAbsent(LabelSelectors.indexKey(k, v),
                            z -> new ArrayList<>()).add(x));
                }
                return byLabel;
            }).getOrDefault(first, List.of());
        }

        /** The namespaces a selector peer can match pods in. */
        private List<NamespaceInfo> peerNamespaces(PolicyInfo p, NetworkPolicyPeer peer) {
            if (peer.getNamespaceSelector() == null) {
                return List.of(PolicySemantics.namespace(namespaces, p.namespace()));
            }
            List<NamespaceInfo> out = new ArrayList<>();
            for (NamespaceInfo n : namespaces.values()) {
                if (LabelSelectors.matches(peer.getNamespaceSelector(), n.labels())) {
                    out.add(n);
                }
            }
            return out;
        }

        private final Map<String, List<Map<String, String>>> distinctLabels = new HashMap<>();
        private final Map<String, Set<String>> matchingNamespaces = new HashMap<>();
        /**
         * The namespaces (sorted) holding a pod or workload the selector matches; cached per selector, and narrowed
         * through the label index ({@link #candidates}) so the scan does not grow with policies times pods.
         */
        private Set<String> namespacesWithMatchingPods(LabelSelector sel) {
            String key = selectorText(sel, "{}");
            Set<String> known = matchingNamespaces.get(key);
            if (known != null) {
                return known;
            }
            Set<String> out = new java.util.TreeSet<>();
            for (String ns : podsByNs.keySet()) {
                for (PodInfo x : candidates(ns, sel)) {
                    if (LabelSelectors.matches(sel, x.labels())) {
                        out.add(ns);
                        break;
                    }
                }
            }
            matchingNamespaces.put(key, out);
            return out;
        }

        /** The distinct label sets of the pods and workloads of a namespace (for suggestions), computed once. */
        private List<Map<String, String>> labelSets(String ns) {
            return distinctLabels.computeIfAbsent(ns, k -> new ArrayList<>(pods(k).stream().map(PodInfo::labels)
                    .collect(Collectors.toCollection(LinkedHashSet::new))));
        }

        private List<PodInfo> pods(String ns) {
            return podsByNs.getOrDefault(ns, List.of());
        }

        private void report(String rule, PolicyInfo p, String rel, String msg) {
            r.report(rule, p.source().doc(), p.source().ptr(rel), msg);
        }

        /** Reports with the fix a {@link Fixes} helper computed (none when it declined). */
        private void report(String rule, PolicyInfo p, String rel, String msg, java.util.Optional<Diagnostic.Fix> fix) {
            r.report(rule, p.source().doc(), p.source().ptr(rel), msg, fix.orElse(null));
        }

        private void reportKey(String rule, PolicyInfo p, String rel, String msg) {
            r.reportKey(rule, p.source().doc(), p.source().ptr(rel), msg);
        }

        private void policy(PolicyInfo p, List<PodInfo> sel) {
            NetworkPolicy np = p.policy();
            String where = p.namespace() + "/" + p.name();
            if (facts.noEnforcement()) {
                report("NP061", p, "/metadata/name", "NetworkPolicy " + where + " has no effect: the project file "
                        + "says cluster.policyEnforcement is " + facts.policyEnforcement() + ", so nothing turns "
                        + "policies into filtering rules; run a policy engine (Calico/Canal, Cilium, kube-router, "
                        + "...) or correct policyEnforcement");
            }
            String ns = p.source().doc().at(p.source().ptr("/metadata/namespace")).asText("");
            if (ns.isEmpty()) {
                reportKey("NP062", p, "/metadata/name", "metadata.namespace is not set: the policy lands in the "
                        + "namespace of whoever applies it (kubectl's current namespace, often default), which decides "
                        + "the pods it selects; set metadata.namespace");
            }
            Set<String> types = PolicySemantics.effectiveTypes(np);
            List<Rule> ingress = PolicySemantics.rules(np, "ingress");
            List<Rule> egress = PolicySemantics.rules(np, "egress");
            boolean explicit = PolicySemantics.hasExplicitTypes(np);
            String sel0 = selectorText(PolicySemantics.podSelector(np), "");
            String selText = sel0.isEmpty() ? "in namespace " + p.namespace() + " (all)" : sel0;
            if (explicit && !types.contains("Egress") && !egress.isEmpty()) {
                reportKey("NP043", p, "/spec/egress", "spec.egress has " + plural(egress.size(), "rule")
                        + " but spec.policyTypes is " + np.getSpec().getPolicyTypes() + ", so the egress rules are "
                        + "ignored and pods " + selText + " can still connect anywhere; add Egress to policyTypes (and "
                        + "allow DNS) or remove spec.egress");
            }
            if (explicit && !types.contains("Ingress") && !ingress.isEmpty()) {
                reportKey("NP044", p, "/spec/ingress", "spec.ingress has " + plural(ingress.size(), "rule")
                        + " but spec.policyTypes is " + np.getSpec().getPolicyTypes() + ", so the ingress rules are "
                        + "ignored and pods " + selText + " still accept any connection; add Ingress to policyTypes or "
                        + "remove spec.ingress");
            }
            boolean ingressKey = p.source().doc().at(p.source().ptr("/spec/ingress")).isArray();
            boolean onlyEgress = !explicit && !egress.isEmpty() && !ingressKey;
            if (onlyEgress) {
                reportKey("NP045", p, "/spec/egress", "spec.policyTypes is not set and the policy has only egress "
                        + "rules, so policyTypes defaults to [Ingress, Egress]: pods " + selText + " are also isolated "
                        + "for ingress and accept no connections; add policyTypes: [Egress] if you meant egress only");
            }
            if (types.contains("Ingress") && ingress.isEmpty() && !onlyEgress) {
                report("NP046", p, denyAllPointer(p, "ingress", "Ingress"), "this policy allows no ingress: pods "
                        + selText + " accept connections only from what other policies allow (deny-all ingress)");
            }
            if (types.contains("Egress") && egress.isEmpty()) {
                report("NP046", p, denyAllPointer(p, "egress", "Egress"), "this policy allows no egress: pods "
                        + selText + " can connect only where other policies allow (deny-all egress, DNS included)");
            }
            if (sel != null) {
                selectsNothing(p, sel);
            }
            for (List<Rule> rules : List.of(ingress, egress)) {
                strayDash(p, rules);
                for (Rule rule : rules) {
                    if (!types.contains(rule.direction().equals("ingress") ? "Ingress" : "Egress")) {
                        continue;
                    }
                    peers(p, rule);
                    if (rule.hasPorts()) {
                        ports(p, rule, sel);
                    }
                }
            }
        }

        private String denyAllPointer(PolicyInfo p, String dir, String type) {
            if (p.source().doc().at(p.source().ptr("/spec/" + dir)).isArray()) {
                return "/spec/" + dir;
            }
            List<String> pt = p.policy().getSpec() == null ? null : p.policy().getSpec().getPolicyTypes();
            if (pt != null && pt.indexOf(type) >= 0) {
                return "/spec/policyTypes/" + pt.indexOf(type);
            }
            return "/spec/podSelector";
        }

        // ---- NP040: the policy selects nothing ----

        private void selectsNothing(PolicyInfo p, List<PodInfo> sel) {
            LabelSelector ps = PolicySemantics.podSelector(p.policy());
            if (!sel.isEmpty() || ps == null || LabelSelectors.isEmpty(ps)) {
                return;
            }
            List<PodInfo> here = pods(p.namespace());
            String text = selectorText(ps, "");
            if (here.isEmpty()) {
                Set<String> elsewhere = namespacesWithMatchingPods(ps);
                if (!elsewhere.isEmpty()) {
                    report("NP040", p, "/spec/podSelector", "spec.podSelector " + text + " selects no pod in namespace "
                            + p.namespace() + " (no pod or workload there in the inventory), but matches pods in "
                            + String.join(", ", elsewhere) + "; a policy only selects pods of its own namespace: "
                            + "check metadata.namespace");
                }
                return;
            }
            String hint = suggest(ps, labelSets(p.namespace()), suggestionBudget);
            report("NP040", p, "/spec/podSelector", "spec.podSelector " + text + " selects none of the "
                    + plural(here.size(), "pod or workload") + " in namespace " + p.namespace() + ", so the policy has "
                    + "no effect" + (hint == null ? "; check the labels" : "; did you mean " + hint + "?"));
        }

        // ---- peers: NP041, NP042, NP050, NP051, NP052, NP053 ----

        private void peers(PolicyInfo p, Rule rule) {
            if (!rule.hasPeers()) {
                return;
            }
            List<NetworkPolicyPeer> peers = rule.peers();
            for (int j = 0; j < peers.size(); j++) {
                NetworkPolicyPeer peer = peers.get(j);
                String pp = rule.pointer() + "/" + rule.peersKey() + "/" + j;
                if (peer == null) {
                    continue;
                }
                if (peer.getIpBlock() != null) {
                    if (peer.getPodSelector() == null && peer.getNamespaceSelector() == null) {
                        ipBlock(p, rule, pp, peer.getIpBlock());
                    }
                    continue;
                }
                selectorPeer(p, rule, pp, peer);
                if (j > 0) {
                    orPeers(p, rule, j, peers.get(j - 1), peer);
                }
            }
        }

        private void selectorPeer(PolicyInfo p, Rule rule, String pp, NetworkPolicyPeer peer) {
            LabelSelector nsSel = peer.getNamespaceSelector();
            LabelSelector podSel = peer.getPodSelector();
            if (!PolicySemantics.isValid(nsSel) || !PolicySemantics.isValid(podSel)) {
                return;
            }
            List<NamespaceInfo> nss;
            if (nsSel != null) {
                nss = namespaces.values().stream().filter(n -> LabelSelectors.matches(nsSel, n.labels())).toList();
                if (nss.isEmpty()) {
                    List<NamespaceInfo> all = new ArrayList<>(namespaces.values());
                    String hint = namespaceHint(nsSel, all);
                    String named = hint != null && hint.startsWith(InventoryBuilder.NAME_LABEL + ": ")
                            ? hint.substring(InventoryBuilder.NAME_LABEL.length() + 2).split(" ")[0] : null;
                    List<String> assumed = all.stream().filter(n -> !n.declared())
                            .filter(n -> named == null || n.name().equals(named)).map(NamespaceInfo::name).toList();
                    report("NP042", p, pp + "/namespaceSelector", "namespaceSelector " + selectorText(nsSel, "")
                            + " matches no namespace (known: " + names(all) + ")" + (hint == null ? ""
                            : "; did you mean " + hint + "?") + assumedNote(assumed));
                    return;
                }
            } else {
                nss = List.of(PolicySemantics.namespace(namespaces, p.namespace()));
            }
            if (podSel == null || LabelSelectors.isEmpty(podSel)) {
                return;
            }
            List<PodInfo> candidates = new ArrayList<>();
            for (NamespaceInfo n : nss) {
                candidates.addAll(pods(n.name()));
            }
            boolean matched = candidates.stream().anyMatch(x -> LabelSelectors.matches(podSel, x.labels()));
            if (matched) {
                return;
            }
            if (nsSel == null) {
                Set<String> elsewhere = new java.util.TreeSet<>(namespacesWithMatchingPods(podSel));
                elsewhere.remove(p.namespace());
                if (!elsewhere.isEmpty()) {
                    String other = elsewhere.iterator().next();
                    report("NP051", p, pp + "/podSelector", "podSelector " + selectorText(podSel, "") + " without a "
                            + "namespaceSelector only matches pods in the policy's namespace " + p.namespace()
                            + ", but the matching pods are in " + String.join(", ", elsewhere) + "; add namespaceSelector: "
                            + "{matchLabels: {kubernetes.io/metadata.name: " + other + "}} to the same peer");
                    return;
                }
            }
            if (candidates.isEmpty()) {
                return;
            }
            List<Map<String, String>> sets;
            if (nss.size() == 1) {
                sets = labelSets(nss.get(0).name());
            } else {
                // Namespaces may share label sets: each distinct one is scored once.
                Set<Map<String, String>> distinct = new LinkedHashSet<>();
                for (NamespaceInfo n : nss) {
                    distinct.addAll(labelSets(n.name()));
                }
                sets = new ArrayList<>(distinct);
            }
            String hint = suggest(podSel, sets, suggestionBudget);
            String scope = nsSel == null ? "namespace " + p.namespace() : "namespaces " + names(nss);
            List<String> assumed = nsSel == null ? List.of()
                    : nss.stream().filter(n -> !n.declared()).map(NamespaceInfo::name).toList();
            report("NP041", p, pp + "/podSelector", "podSelector " + selectorText(podSel, "") + " matches none of the "
                    + plural(candidates.size(), "pod or workload") + " in " + scope + (hint == null ? "; check the "
                    + "labels" : "; did you mean " + hint + "?") + assumedNote(assumed));
        }

        private void orPeers(PolicyInfo p, Rule rule, int j, NetworkPolicyPeer prev, NetworkPolicyPeer cur) {
            if (prev == null || prev.getIpBlock() != null || cur.getIpBlock() != null) {
                return;
            }
            NetworkPolicyPeer nsPeer;
            NetworkPolicyPeer podPeer;
            if (prev.getNamespaceSelector() != null && prev.getPodSelector() == null
                    && cur.getPodSelector() != null && cur.getNamespaceSelector() == null) {
                nsPeer = prev;
                podPeer = cur;
            } else if (prev.getPodSelector() != null && prev.getNamespaceSelector() == null
                    && cur.getNamespaceSelector() != null && cur.getPodSelector() == null) {
                nsPeer = cur;
                podPeer = prev;
            } else {
                return;
            }
            if (LabelSelectors.isEmpty(podPeer.getPodSelector())) {
                return; // "- podSelector: {}" next to a namespaceSelector: the usual "own namespace OR others" form
            }
            String k = rule.peersKey();
            String nsText = selectorText(nsPeer.getNamespaceSelector(), "");
            String podText = selectorText(podPeer.getPodSelector(), "");
            String second = prev == nsPeer ? "podSelector" : "namespaceSelector";
            String peersPtr = rule.pointer() + "/" + k + "/";
            report("NP050", p, peersPtr + j, k + "[" + (j - 1) + "] and " + k + "[" + j
                    + "] are separate peers and are ORed: this " + rule.direction() + " rule matches every pod in "
                    + "namespaces " + nsText + " and also pods " + podText + " in namespace " + p.namespace()
                    + ", not pods " + podText + " in namespaces " + nsText + "; if you meant the latter, remove the "
                    + "'-' before " + second + " so both selectors form one peer",
                    Fixes.mergePeers(p.source().doc(), p.source().ptr(peersPtr + (j - 1)),
                            p.source().ptr(peersPtr + j)));
        }

        private void ipBlock(PolicyInfo p, Rule rule, String pp, IPBlock b) {
            Cidrs.Parsed c = Cidrs.parse(b.getCidr());
            List<IPAddress> ranges = PolicySemantics.ranges(b);
            if (c == null || ranges == null || c.block().getNetworkPrefixLength() == 0) {
                return;
            }
            List<String> covered = new ArrayList<>();
            for (PodInfo pod : allPods) {
                if (pod.hostNetwork() || !ipsOf.containsKey(pod)) {
                    continue;
                }
                for (IPAddress ip : ipsOf.get(pod)) {
                    if (Cidrs.contains(ranges, ip)) {
                        covered.add(pod.key());
                        break;
                    }
                }
                if (covered.size() >= 3) {
                    break;
                }
            }
            String podRange = null;
            if (podRangesKnown) {
                for (IPAddress pr : podRanges) {
                    if (Cidrs.overlaps(ranges, pr)) {
                        podRange = pr.toCanonicalString();
                        break;
                    }
                }
            }
            String dir = rule.direction().equals("ingress") ? "from" : "to";
            if (podRange != null || !covered.isEmpty()) {
                String what = podRange != null ? "overlaps the cluster pod CIDR " + podRange
                        + (covered.isEmpty() ? "" : " (pods such as " + String.join(", ", covered) + ")")
                        : "contains the IPs of pods " + String.join(", ", covered);
                String effect = facts.ipBlockMatchesPodIPs()
                        ? "whether ipBlock matches pod IPs is implementation-defined (iptables-based controllers "
                        + "match them, Cilium does not) and pod IPs change"
                        : (facts.policyEnforcement() == null ? "the enforcer here (podnet.yaml: "
                        + "cluster.ipBlockMatchesPodIPs: false)" : "the enforcer here (" + facts.policyEnforcement()
                        + ")") + " does not match ipBlock against pod IPs, so traffic " + dir + " those pods is not "
                        + "allowed by this peer";
                report("NP052", p, pp + "/ipBlock/cidr", "ipBlock " + b.getCidr() + " " + what + "; " + effect
                        + "; select pods with namespaceSelector and podSelector in one peer and keep ipBlock for "
                        + "addresses outside the cluster");
                return;
            }
            List<String> svcs = new ArrayList<>();
            for (ServiceInfo s : inv.services()) {
                for (String ipText : s.clusterIPs()) {
                    IPAddress ip = Cidrs.ip(ipText);
                    if (ip != null && Cidrs.contains(ranges, ip)) {
                        svcs.add(s.namespace() + "/" + s.name() + " (" + ipText + ")");
                        break;
                    }
                }
            }
            IPAddress serviceRange = serviceRanges.stream().filter(r -> r.getIPVersion() == c.block().getIPVersion()
                    && r.contains(c.block())).findFirst().orElse(null);
            if (serviceRange != null || !svcs.isEmpty()) {
                report("NP053", p, pp + "/ipBlock/cidr", "ipBlock " + b.getCidr() + (svcs.isEmpty()
                        ? " lies in the Service CIDR " + serviceRange.toCanonicalString()
                        : " contains the ClusterIP of Service "
                        + String.join(", ", svcs)) + "; policies see traffic after the Service is translated to a pod "
                        + "IP and targetPort, so this never matches: select the Service's pods with podSelector (and "
                        + "namespaceSelector) instead");
            }
        }

        // ---- ports: NP054-NP058 ----

        private void ports(PolicyInfo p, Rule rule, List<PodInfo> sel) {
            List<PodInfo> dests;
            boolean ipOnly = false;
            // Whether every destination is a pod of the inputs: not for an egress rule without peers (anywhere) or
            // with an ipBlock peer (addresses outside the cluster too), where NP055's "no destination pod declares
            // the port" says nothing about the traffic the rule is for (DNS, the internet).
            boolean podsOnly = true;
            if (rule.direction().equals("ingress")) {
                dests = sel == null ? List.of() : sel;
            } else if (!rule.hasPeers()) {
                dests = allPods;
                podsOnly = false;
            } else {
                Set<PodInfo> ds = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
                List<PodInfo> order = new ArrayList<>();
                ipOnly = true;
                for (NetworkPolicyPeer peer : rule.peers()) {
                    if (peer == null) {
                        continue;
                    }
                    if (peer.getIpBlock() != null) {
                        podsOnly = false;
                        for (PodInfo d : podsInBlock(peer.getIpBlock())) {
                            if (ds.add(d)) {
                                order.add(d);
                            }
                        }
                    } else {
                        ipOnly = false;
                        if (!PolicySemantics.isValid(peer.getPodSelector())
                                || !PolicySemantics.isValid(peer.getNamespaceSelector())) {
                            return;
                        }
                        for (PodInfo d : podsOfPeer(p, peer)) {
                            if (ds.add(d)) {
                                order.add(d);
                            }
                        }
                    }
                }
                dests = order;
            }
            for (int k = 0; k < rule.ports().size(); k++) {
                NetworkPolicyPort port = rule.ports().get(k);
                String pp = rule.pointer() + "/ports/" + k;
                if (port == null || port.getPort() == null) {
                    continue;
                }
                String proto = PolicySemantics.protocol(port);
                IntOrString v = port.getPort();
                if (v.getStrVal() != null) {
                    String name = v.getStrVal();
                    if (!K8sNames.portName(name).isEmpty()) {
                        continue;
                    }
                    if (ipOnly) {
                        report("NP058", p, pp + "/port", "named port " + name + " is used with only ipBlock peers; a "
                                + "port name resolves on the destination pod, so it matches nothing for addresses "
                                + "outside the cluster; use the port number");
                        continue;
                    }
                    namedPort(p, rule, pp, port, name, proto, dests);
                } else if (v.getIntVal() != null) {
                    int lo = v.getIntVal();
                    int hi = port.getEndPort() != null && port.getEndPort() >= lo ? port.getEndPort() : lo;
                    if (lo >= 1 && hi <= 65535) {
                        numericPort(p, rule, pp, lo, hi, port.getEndPort() == null, proto, dests, podsOnly);
                    }
                }
            }
        }

        /** Pods a selector peer matches, by the policy's namespace and the peer's selectors (peers repeat). */
        private final Map<String, List<PodInfo>> podsOfPeer = new HashMap<>();

        /** The pods (namespace by namespace, in inventory order) a valid selector peer of {@code p} matches. */
        private List<PodInfo> podsOfPeer(PolicyInfo p, NetworkPolicyPeer peer) {
            String key = selectorKey(peer.getNamespaceSelector()) + selectorKey(peer.getPodSelector())
                    + p.namespace();
            List<PodInfo> known = podsOfPeer.get(key);
            if (known != null) {
                return known;
            }
            List<PodInfo> out = new ArrayList<>();
            for (NamespaceInfo n : peerNamespaces(p, peer)) {
                for (PodInfo d : pods(n.name())) {
                    if (PolicySemantics.selectorPeerMatches(peer, p.namespace(), d, n)) {
                        out.add(d);
                    }
                }
            }
            podsOfPeer.put(key, out);
            return out;
        }

        /** An unambiguous text of a selector (null and empty differ): each string is preceded by its length. */
        private static String selectorKey(LabelSelector sel) {
            if (sel == null) {
                return "-;";
            }
            StringBuilder sb = new StringBuilder("{");
            java.util.function.Consumer<String> add = x -> appendField(sb, x);
            if (sel.getMatchLabels() != null) {
                sel.getMatchLabels().forEach((k, v) -> {
                    add.accept(k);
                    add.accept(v);
                });
            }
            sb.append('|');
            if (sel.getMatchExpressions() != null) {
                for (LabelSelectorRequirement req : sel.getMatchExpressions()) {
                    if (req == null) {
                        sb.append("null;");
                        continue;
                    }
                    add.accept(req.getKey());
                    add.accept(req.getOperator());
                    sb.append(req.getValues() == null ? 'n' : 'v');
                    if (req.getValues() != null) {
                        req.getValues().forEach(add);
                    }
                    sb.append(';');
                }
            }
            return sb.append('}').toString();
        }

        /** Appends a string preceded by its length ({@code -1:} for null), so appended fields never run together. */
        private static void appendField(StringBuilder sb, String x) {
            sb.append(x == null ? -1 : x.length()).append(':').append(x == null ? "" : x);
        }

        /** Pods an ipBlock peer reaches, by the block's cidr and excepts (policies repeat the same blocks). */
        private final Map<String, List<PodInfo>> podsInBlock = new HashMap<>();

        /**
         * The pods (with IPs, in inventory order) whose addresses an ipBlock peer matches: every pod when ipBlock
         * matches pod IPs in this cluster, else host-network pods only; empty for a block that does not parse.
         */
        private List<PodInfo> podsInBlock(IPBlock b) {
            StringBuilder k = new StringBuilder();
            appendField(k, b.getCidr());
            k.append(b.getExcept() == null ? 'n' : 'v');
            if (b.getExcept() != null) {
                b.getExcept().forEach(x -> appendField(k, x));
            }
            String key = k.toString();
            List<PodInfo> known = podsInBlock.get(key);
            if (known != null) {
                return known;
            }
            List<PodInfo> out = new ArrayList<>();
            List<IPAddress> ranges = PolicySemantics.ranges(b);
            if (ranges != null) {
                for (PodInfo d : podsWithIps) {
                    if (!facts.ipBlockMatchesPodIPs() && !d.hostNetwork()) {
                        continue;
                    }
                    for (IPAddress ip : ipsOf.get(d)) {
                        if (Cidrs.contains(ranges, ip)) {
                            out.add(d);
                            break;
                        }
                    }
                }
            }
            podsInBlock.put(key, out);
            return out;
        }

        private void namedPort(PolicyInfo p, Rule rule, String pp, NetworkPolicyPort port, String name, String proto,
                               List<PodInfo> dests) {
            if (dests.isEmpty()) {
                return;
            }
            List<ContainerPort> same = new ArrayList<>();
            for (PodInfo d : dests) {
                for (ContainerPort cp : d.ports()) {
                    if (cp.name().equals(name)) {
                        same.add(cp);
                    }
                }
            }
            String who = destWho(rule, dests);
            if (same.isEmpty()) {
                report("NP056", p, pp + "/port", "none of the " + who + " defines a container port named " + name
                        + ", so this entry matches nothing; use a port name from the pod spec or the port number");
            } else if (same.stream().noneMatch(cp -> cp.protocol().equals(proto))) {
                String other = same.get(0).protocol();
                report("NP057", p, pp + "/port", "container port " + name + " is " + other + " on the " + who
                        + " but this entry's protocol is " + proto + (port.getProtocol() == null ? " (the default)"
                        : "")
                        + ", so it matches nothing; add protocol: " + other);
            }
        }

        /**
         * NP054/NP055 for a numeric port (range {@code lo..hi}; {@code single}: no endPort is written;
         * {@code podsOnly}: the rule's destinations are only pods of the inputs, else NP055 is not reported).
         */
        private void numericPort(PolicyInfo p, Rule rule, String pp, int lo, int hi, boolean single, String proto,
                                 List<PodInfo> dests, boolean podsOnly) {
            if (dests.isEmpty()) {
                return;
            }
            boolean declared = false;
            boolean allDeclareSome = true;
            for (PodInfo d : dests) {
                allDeclareSome &= !d.ports().isEmpty();
                for (ContainerPort cp : d.ports()) {
                    if (cp.protocol().equals(proto) && cp.port() >= lo && cp.port() <= hi) {
                        declared = true;
                    }
                }
            }
            if (declared) {
                return;
            }
            String range = lo == hi ? proto + " " + lo : proto + " " + lo + "-" + hi;
            Set<String> destNamespaces = new java.util.HashSet<>();
            dests.forEach(d -> destNamespaces.add(d.namespace()));
            for (ServiceInfo s : inv.services()) {
                if (s.selector().isEmpty() || !destNamespaces.contains(s.namespace())) {
                    continue;
                }
                boolean selectsDest = dests.stream().anyMatch(d -> d.namespace().equals(s.namespace())
                        && LabelSelectors.matchesAll(s.selector(), d.labels()));
                if (!selectsDest) {
                    continue;
                }
                for (ServicePort sp : s.ports()) {
                    if (sp.protocol().equals(proto) && sp.port() >= lo && sp.port() <= hi
                            && !sp.targetPort().equals(String.valueOf(sp.port()))) {
                        String tp = sp.targetPort();
                        // the pod port as the Service names it, and as the destination pods' containers number or
                        // name it (targetPort http = containerPort 8080 named http)
                        Set<String> podPort = new java.util.LinkedHashSet<>(List.of(tp));
                        for (PodInfo d : dests) {
                            for (ContainerPort cp : d.ports()) {
                                if (cp.protocol().equals(proto) && (cp.name().equals(tp)
                                        || String.valueOf(cp.port()).equals(tp)) && !cp.name().isEmpty()) {
                                    podPort.add(cp.name());
                                    podPort.add(String.valueOf(cp.port()));
                                }
                            }
                        }
                        String portsPtr = p.source().ptr(pp.substring(0, pp.lastIndexOf('/')));
                        JsonNode rulePorts = p.source().doc().at(portsPtr);
                        if (podPort.stream().anyMatch(x -> listsPort(rulePorts, proto, x))) {
                            return; // the rule has the pod port too (e.g. after NP054's fix): Service traffic passes
                        }
                        String why = "the " + destWho(rule, dests) + " do not expose " + range + "; Service "
                                + s.namespace() + "/" + s.name() + " maps port " + sp.port() + " to targetPort " + tp
                                + ", and policies apply to the pod port, so traffic through the Service is not "
                                + "matched: ";
                        if (podsOnly) {
                            report("NP054", p, pp + "/port", why + "use port: " + tp,
                                    // with an endPort the range would need rewriting as a whole: no mechanical fix
                                    single ? Fixes.replacePort(p.source().doc(), p.source().ptr(pp + "/port"), tp)
                                            : java.util.Optional.empty());
                        } else {
                            // the rule also reaches addresses outside the inputs on this port: keep it, add the
                            // pod port next to it
                            report("NP054", p, pp + "/port", why + "add port: " + tp + " to this rule (keep " + range
                                    + " for the other destinations it allows)", Fixes.addPort(p.source().doc(),
                                    portsPtr, proto, tp));
                        }
                        return;
                    }
                }
            }
            if (allDeclareSome && podsOnly) {
                report("NP055", p, pp + "/port", "none of the " + destWho(rule, dests) + " declares container port "
                        + range + " (declared: " + declaredPorts(dests) + "); check the port number");
            }
        }

        /**
         * True when a NetworkPolicy {@code ports} list has an entry for {@code port} (a number, also inside a
         * {@code port..endPort} range, or a port name) with {@code protocol} (TCP when the entry has none); an entry
         * without a port matches every port of its protocol.
         */
        private static boolean listsPort(JsonNode ports, String protocol, String port) {
            if (!ports.isArray()) {
                return false;
            }
            boolean numeric = port.matches("[0-9]{1,5}");
            for (JsonNode e : ports) {
                if (!e.path("protocol").asText("TCP").equals(protocol)) {
                    continue;
                }
                JsonNode p = e.path("port");
                if (p.isMissingNode() || p.isNull() || p.asText().equals(port)) {
                    return true;
                }
                if (numeric && p.isInt() && e.path("endPort").isInt()) {
                    int n = Integer.parseInt(port);
                    if (n >= p.asInt() && n <= e.path("endPort").asInt()) {
                        return true;
                    }
                }
            }
            return false;
        }

        private String destWho(Rule rule, List<PodInfo> dests) {
            String list = dests.stream().limit(3).map(PodInfo::key).collect(Collectors.joining(", "))
                    + (dests.size() > 3 ? ", ..." : "");
            return (rule.direction().equals("ingress") ? "selected pods" : "destination pods") + " (" + list + ")";
        }

        private static String declaredPorts(List<PodInfo> dests) {
            Set<String> s = new LinkedHashSet<>();
            for (PodInfo d : dests) {
                for (ContainerPort cp : d.ports()) {
                    s.add(cp.protocol() + " " + cp.port());
                }
            }
            return s.stream().limit(6).collect(Collectors.joining(", ")) + (s.size() > 6 ? ", ..." : "");
        }

        // ---- NP059: stray dash ----

        private void strayDash(PolicyInfo p, List<Rule> rules) {
            for (int i = 1; i < rules.size(); i++) {
                Rule a = rules.get(i - 1);
                Rule b = rules.get(i);
                Rule portsOnly;
                Rule peersOnly;
                if (a.hasPorts() && !a.hasPeers() && b.hasPeers() && !b.hasPorts()) {
                    portsOnly = a;
                    peersOnly = b;
                } else if (a.hasPeers() && !a.hasPorts() && b.hasPorts() && !b.hasPeers()) {
                    portsOnly = b;
                    peersOnly = a;
                } else {
                    continue;
                }
                String d = b.direction();
                String k = b.peersKey();
                report("NP059", p, b.pointer(), d + "[" + portsOnly.index() + "] has ports but no " + k + ", so it "
                        + "allows " + portsText(portsOnly.ports()) + " " + (k.equals("to") ? "to any destination"
                        : "from any source") + ", and " + d + "[" + peersOnly.index() + "] has " + k + " but no ports, "
                        + "so it allows every port; if you meant one rule, remove the '-' before "
                        + (b == portsOnly ? "ports" : k) + " so " + k + " and ports are keys of the same rule");
            }
        }

        private static String portsText(List<NetworkPolicyPort> ports) {
            return ports.stream().limit(3).map(x -> x == null ? "all ports" : PolicySemantics.protocol(x) + " "
                    + (x.getPort() == null ? "(all ports)" : x.getPort().getIntVal() != null
                    ? String.valueOf(x.getPort().getIntVal()) : x.getPort().getStrVal()))
                    .collect(Collectors.joining(", "));
        }

        // ---- DNS: NP047, NP048, NP049 ----

        private void dnsPods() {
            ServiceInfo svc = null;
            for (ServiceInfo s : inv.services()) {
                if (s.namespace().equals(facts.dnsNamespace()) && s.name().equals(facts.dnsService())) {
                    svc = s;
                }
            }
            Map<String, String> labels = svc != null && !svc.selector().isEmpty() ? svc.selector()
                    : Map.of("k8s-app", "kube-dns");
            dnsSelector = labels;
            dnsPods = pods(facts.dnsNamespace()).stream().filter(x -> LabelSelectors.matchesAll(labels, x.labels())).toList();
            dnsDescription = facts.dnsNamespace() + "/" + facts.dnsService();
            if (dnsPods.isEmpty()) {
                dnsAssumed = true;
                dnsPods = List.of(new PodInfo(facts.dnsNamespace(), facts.dnsService(), "Pod", labels, List.of(),
                        List.of(new ContainerPort("dns", DNS_PORT, "UDP"), new ContainerPort("dns-tcp", DNS_PORT,
                                "TCP"), new ContainerPort("metrics", 9153, "TCP")), "", false, null, ""));
            }
        }

        /** [udp, tcp]: whether some egress rule of the policy allows DNS to some DNS pod. */
        private boolean[] dnsAllowed(PolicyInfo p, Map<PolicyInfo, boolean[]> cache) {
            boolean[] known = cache.get(p);
            if (known != null) {
                return known;
            }
            boolean[] out = new boolean[2];
            for (Rule rule : PolicySemantics.rules(p.policy(), "egress")) {
                for (PodInfo d : dnsPods) {
                    if (!peersMatch(p, rule, d)) {
                        continue;
                    }
                    out[0] |= PolicySemantics.portsMatch(rule, d, DNS_PORT, "UDP");
                    out[1] |= PolicySemantics.portsMatch(rule, d, DNS_PORT, "TCP");
                }
            }
            cache.put(p, out);
            return out;
        }

        private boolean peersMatch(PolicyInfo p, Rule rule, PodInfo d) {
            if (!rule.hasPeers()) {
                return true;
            }
            NamespaceInfo dns = PolicySemantics.namespace(namespaces, d.namespace());
            for (NetworkPolicyPeer peer : rule.peers()) {
                if (peer == null) {
                    continue;
                }
                if (peer.getIpBlock() != null) {
                    if (peer.getPodSelector() == null && peer.getNamespaceSelector() == null
                            && PolicySemantics.ipBlockMatches(PolicySemantics.ranges(peer.getIpBlock()), d, facts,
                            podRanges)) {
                        return true;
                    }
                } else if (PolicySemantics.selectorPeerMatches(peer, p.namespace(), d, dns)) {
                    return true;
                }
            }
            return false;
        }

        private void dns() {
            List<PolicyInfo> ps = inv.policies();
            List<Integer> egressPolicies = new ArrayList<>();
            for (int i = 0; i < ps.size(); i++) {
                if (PolicySemantics.effectiveTypes(ps.get(i).policy()).contains("Egress")) {
                    egressPolicies.add(i);
                }
            }
            if (egressPolicies.isEmpty()) {
                return;
            }
            dnsPods();
            Map<PolicyInfo, boolean[]> cache = new java.util.IdentityHashMap<>();
            Map<Integer, List<String>> blocked = new LinkedHashMap<>();
            Map<Integer, List<String>> udpOnly = new LinkedHashMap<>();
            Map<Integer, List<String>> tcpOnly = new LinkedHashMap<>();
            Map<String, List<Integer>> byNs = new HashMap<>();
            for (int i : egressPolicies) {
                byNs.computeIfAbsent(ps.get(i).namespace(), k -> new ArrayList<>()).add(i);
            }
            Set<Integer> coveredPolicies = new java.util.HashSet<>();
            Map<PodInfo, List<Integer>> policiesOf = new java.util.IdentityHashMap<>();
            for (int i : egressPolicies) {
                List<PodInfo> sel = selected.get(i);
                if (sel != null) {
                    for (PodInfo pod : sel) {
                        policiesOf.computeIfAbsent(pod, k -> new ArrayList<>()).add(i);
                    }
                }
            }
            for (PodInfo pod : allPods) {
                List<Integer> mine = policiesOf.get(pod);
                if (mine == null) {
                    continue;
                }
                coveredPolicies.addAll(mine);
                classify(pod.key(), mine, cache, blocked, udpOnly, tcpOnly);
            }
            for (int i : egressPolicies) {
                if (coveredPolicies.contains(i)) {
                    continue;
                }
                // No pod in the inventory: this policy plus the namespace's select-all egress policies apply.
                List<Integer> mine = new ArrayList<>();
                for (int j : byNs.get(ps.get(i).namespace())) {
                    LabelSelector s = PolicySemantics.podSelector(ps.get(j).policy());
                    if (j == i || s == null || LabelSelectors.isEmpty(s)) {
                        mine.add(j);
                    }
                }
                mine.sort(null);
                if (mine.get(0) != i) {
                    mine.remove(Integer.valueOf(i));
                    mine.add(0, i);
                }
                classify(null, mine, cache, blocked, udpOnly, tcpOnly);
            }
            for (Map.Entry<Integer, List<String>> e : blocked.entrySet()) {
                PolicyInfo p = ps.get(e.getKey());
                String pods = podsText(p, e.getValue());
                report("NP047", p, egressPointer(p), pods + " isolated for egress and no policy lets "
                        + (e.getValue().size() == 1 ? "it" : "them") + " reach the "
                        + "cluster DNS (" + dnsDescription + ", UDP and TCP 53), so name lookups time out; allow "
                        + "UDP and TCP 53 to namespaceSelector {kubernetes.io/metadata.name: " + facts.dnsNamespace()
                        + "} and podSelector " + selectorText(dnsPods.get(0).labels()) + " in one peer"
                        + dnsAssumption(), Fixes.addDnsEgressRule(p.source().doc(), p.source().ptr(""),
                        facts.dnsNamespace(), new TreeMap<>(dnsSelector)));
                exceptCutsDns(p, cache);
            }
            for (Map.Entry<Integer, List<String>> e : tcpOnly.entrySet()) {
                PolicyInfo p = ps.get(e.getKey());
                String tcpPort = dnsPortPointer(p, "TCP");
                report("NP047", p, egressPointer(p), podsText(p, e.getValue()) + " isolated for egress and can reach "
                        + "the cluster DNS (" + dnsDescription + ") only on TCP 53, while lookups go over UDP 53 first, "
                        + "so they time out; allow UDP 53 next to TCP 53 (check the protocol of named ports)"
                        + dnsAssumption(), addDnsPort(p, tcpPort, "UDP"));
            }
            for (Map.Entry<Integer, List<String>> e : udpOnly.entrySet()) {
                PolicyInfo p = ps.get(e.getKey());
                String where = dnsPortPointer(p, "UDP");
                report("NP048", p, where == null ? egressPointer(p) : where, "DNS is allowed on UDP 53 only for "
                        + podsNoun(p, e.getValue()) + "; responses larger "
                        + "than a UDP packet retry over TCP 53, which is blocked: add a TCP 53 port entry next to the "
                        + "UDP one" + dnsAssumption(), addDnsPort(p, where, "TCP"));
            }
        }

        private void classify(String podKey, List<Integer> mine, Map<PolicyInfo, boolean[]> cache,
                              Map<Integer, List<String>> blocked, Map<Integer, List<String>> udpOnly,
                              Map<Integer, List<String>> tcpOnly) {
            boolean udp = false;
            boolean tcp = false;
            Integer udpPolicy = null;
            for (int i : mine) {
                boolean[] a = dnsAllowed(inv.policies().get(i), cache);
                if (a[0] && udpPolicy == null) {
                    udpPolicy = i;
                }
                udp |= a[0];
                tcp |= a[1];
            }
            List<String> target;
            if (!udp && !tcp) {
                target = blocked.computeIfAbsent(mine.get(0), k -> new ArrayList<>());
            } else if (udp && !tcp) {
                target = udpOnly.computeIfAbsent(udpPolicy, k -> new ArrayList<>());
            } else if (!udp) {
                target = tcpOnly.computeIfAbsent(mine.get(0), k -> new ArrayList<>());
            } else {
                return;
            }
            if (podKey != null) {
                target.add(podKey);
            }
        }

        private String podsText(PolicyInfo p, List<String> pods) {
            return podsNoun(p, pods) + (pods.size() == 1 ? " is" : " are");
        }

        private String podsNoun(PolicyInfo p, List<String> pods) {
            if (pods.isEmpty()) {
                String sel = selectorText(PolicySemantics.podSelector(p.policy()), "");
                return (sel.isEmpty() ? "all pods" : "pods " + sel) + " in namespace " + p.namespace();
            }
            String list = pods.stream().limit(3).collect(Collectors.joining(", ")) + (pods.size() > 3 ? " and "
                    + (pods.size() - 3) + " more" : "");
            return (pods.size() == 1 ? "pod " : "pods ") + list;
        }

        private String dnsAssumption() {
            return dnsAssumed ? " (assuming the DNS pods run in namespace " + facts.dnsNamespace() + " with labels "
                    + selectorText(dnsPods.get(0).labels()) + "; add the DNS Service and pods to the inputs, or set "
                    + "cluster.dns in podnet.yaml)" : "";
        }

        private String egressPointer(PolicyInfo p) {
            List<String> pt = p.policy().getSpec() == null ? null : p.policy().getSpec().getPolicyTypes();
            if (pt != null && pt.indexOf("Egress") >= 0) {
                return "/spec/policyTypes/" + pt.indexOf("Egress");
            }
            return "/spec/egress";
        }

        /**
         * The pointer (relative to the policy) of the first egress port entry that allows DNS on {@code proto}:
         * in a rule whose peers match a DNS pod when there is one, else in any egress rule; null when none.
         */
        private String dnsPortPointer(PolicyInfo p, String proto) {
            String any = null;
            for (Rule rule : PolicySemantics.rules(p.policy(), "egress")) {
                if (!rule.hasPorts()) {
                    continue;
                }
                boolean toDns = dnsPods.stream().anyMatch(d -> peersMatch(p, rule, d));
                for (int k = 0; k < rule.ports().size(); k++) {
                    NetworkPolicyPort port = rule.ports().get(k);
                    if (port != null && PolicySemantics.protocol(port).equals(proto) && dnsPods.stream().anyMatch(
                            d -> PolicySemantics.portMatches(port, d, DNS_PORT, proto))) {
                        if (toDns) {
                            return rule.pointer() + "/ports/" + k;
                        }
                        any = any == null ? rule.pointer() + "/ports/" + k : any;
                    }
                }
            }
            return any;
        }

        /**
         * The fix for DNS allowed on one protocol only: a {@code proto} 53 entry appended to the ports of the rule
         * holding {@code portPointer} (the entry allowing the other protocol), when that rule's peers match a DNS
         * pod (else the new entry would not reach DNS either: no fix).
         */
        private java.util.Optional<Diagnostic.Fix> addDnsPort(PolicyInfo p, String portPointer, String proto) {
            if (portPointer == null) {
                return java.util.Optional.empty();
            }
            String rulePointer = portPointer.substring(0, portPointer.lastIndexOf("/ports/"));
            for (Rule rule : PolicySemantics.rules(p.policy(), "egress")) {
                if (rule.pointer().equals(rulePointer) && dnsPods.stream().anyMatch(d -> peersMatch(p, rule, d))) {
                    return Fixes.addPort(p.source().doc(), p.source().ptr(rulePointer + "/ports"), proto, DNS_PORT);
                }
            }
            return java.util.Optional.empty();
        }

        /** NP049: an ipBlock that would allow DNS but whose except cuts out the DNS pods' addresses. */
        private void exceptCutsDns(PolicyInfo p, Map<PolicyInfo, boolean[]> cache) {
            if (!facts.ipBlockMatchesPodIPs()) {
                return;
            }
            List<IPAddress> targets = new ArrayList<>();
            for (PodInfo d : dnsPods) {
                for (String s : d.ips()) {
                    IPAddress ip = Cidrs.ip(s);
                    if (ip != null) {
                        targets.add(ip);
                    }
                }
            }
            boolean fromIps = !targets.isEmpty();
            if (!fromIps) {
                targets.addAll(podRanges);
            }
            for (Rule rule : PolicySemantics.rules(p.policy(), "egress")) {
                if (!rule.hasPeers() || !(PolicySemantics.portsMatch(rule, dnsPods.get(0), DNS_PORT, "UDP")
                        || PolicySemantics.portsMatch(rule, dnsPods.get(0), DNS_PORT, "TCP"))) {
                    continue;
                }
                for (int j = 0; j < rule.peers().size(); j++) {
                    NetworkPolicyPeer peer = rule.peers().get(j);
                    if (peer == null || peer.getIpBlock() == null || peer.getIpBlock().getExcept() == null) {
                        continue;
                    }
                    Cidrs.Parsed c = Cidrs.parse(peer.getIpBlock().getCidr());
                    if (c == null) {
                        continue;
                    }
                    List<String> ex = peer.getIpBlock().getExcept();
                    for (int k = 0; k < ex.size(); k++) {
                        Cidrs.Parsed e = Cidrs.parse(ex.get(k));
                        if (e == null) {
                            continue;
                        }
                        for (IPAddress t : targets) {
                            if (t.getIPVersion() == c.block().getIPVersion() && c.block().contains(t)
                                    && e.block().getIPVersion() == t.getIPVersion() && e.block().contains(t)) {
                                report("NP049", p, rule.pointer() + "/" + rule.peersKey() + "/" + j
                                        + "/ipBlock/except/" + k, "except " + ex.get(k) + " cuts the cluster DNS "
                                        + (fromIps ? "pods (" + t.toCanonicalString() + ")" : podRangesKnown
                                        ? "pods' range " + t.toCanonicalString() : "pods' probable range "
                                        + t.toCanonicalString() + " (set cluster.podCIDR in podnet.yaml)")
                                        + " out of ipBlock " + peer.getIpBlock().getCidr() + ", so this rule does not "
                                        + "allow DNS; add a separate peer for the DNS pods (namespaceSelector and "
                                        + "podSelector in one peer)");
                                return;
                            }
                        }
                    }
                }
            }
        }

        // ---- label helpers ----

        private String namespaceHint(LabelSelector sel, List<NamespaceInfo> all) {
            if (sel.getMatchLabels() != null) {
                for (Map.Entry<String, String> e : sel.getMatchLabels().entrySet()) {
                    for (NamespaceInfo n : all) {
                        if (n.name().equals(e.getValue()) && !e.getKey().equals(InventoryBuilder.NAME_LABEL)) {
                            return InventoryBuilder.NAME_LABEL + ": " + n.name() + " (namespaces carry their name in "
                                    + "that label, not in " + e.getKey() + ")";
                        }
                    }
                }
            }
            return suggest(sel, all.stream().map(NamespaceInfo::labels).distinct().toList(), suggestionBudget);
        }

        private static String assumedNote(List<String> assumed) {
            if (assumed.isEmpty()) {
                return "";
            }
            return assumed.size() == 1 ? " (assuming namespace '" + assumed.get(0) + "' exists with only the "
                    + "kubernetes.io/metadata.name label; add its Namespace manifest if it has more labels)"
                    : " (assuming namespaces " + assumed.stream().limit(4).map(a -> "'" + a + "'")
                    .collect(Collectors.joining(", ")) + (assumed.size() > 4 ? ", ..." : "") + " exist with only the "
                    + "kubernetes.io/metadata.name label; add their Namespace manifests if they have more labels)";
        }

        private static String names(Collection<NamespaceInfo> nss) {
            return nss.stream().limit(5).map(n -> n.name() + (n.declared() ? "" : " [assumed]"))
                    .collect(Collectors.joining(", ")) + (nss.size() > 5 ? ", ..." : "");
        }
    }

    // ---- static helpers ----

    /** Namespace names a policy's namespaceSelectors name through {@code kubernetes.io/metadata.name}. */
    static Set<String> namesSelected(NetworkPolicy np) {
        Set<String> out = new LinkedHashSet<>();
        for (String dir : List.of("ingress", "egress")) {
            for (Rule rule : PolicySemantics.rules(np, dir)) {
                if (rule.peers() == null) {
                    continue;
                }
                for (NetworkPolicyPeer peer : rule.peers()) {
                    LabelSelector s = peer == null ? null : peer.getNamespaceSelector();
                    if (s == null) {
                        continue;
                    }
                    if (s.getMatchLabels() != null && s.getMatchLabels().get(InventoryBuilder.NAME_LABEL) != null) {
                        out.add(s.getMatchLabels().get(InventoryBuilder.NAME_LABEL));
                    }
                    if (s.getMatchExpressions() != null) {
                        for (LabelSelectorRequirement req : s.getMatchExpressions()) {
                            if (req != null && InventoryBuilder.NAME_LABEL.equals(req.getKey())
                                    && "In".equals(req.getOperator()) && req.getValues() != null) {
                                out.addAll(req.getValues());
                            }
                        }
                    }
                }
            }
        }
        return out;
    }

    /**
     * The label set closest to satisfying the selector's matchLabels, as a replacement ({@code app=frontend}), or
     * null. Per unmet label: the candidate's value for the same key, else a key that carries the wanted value, else
     * the closest key by spelling. {@code labelSets} holds distinct label sets (pods of one workload share theirs,
     * so each set is scored once); at most the first 2,000 are scored. {@code budget[0]} is what the run may still
     * score ({@link #SUGGESTION_BUDGET}): the sets scored are taken from it, and when they do not fit, no set is
     * scored and the result is null.
     */
    static String suggest(LabelSelector sel, List<Map<String, String>> labelSets, int[] budget) {
        Map<String, String> ml = sel.getMatchLabels();
        if (ml == null || ml.isEmpty()) {
            return null;
        }
        int cost = Math.min(labelSets.size(), 2000);
        if (cost > budget[0]) {
            return null;
        }
        budget[0] -= cost;
        String best = null;
        int bestScore = Integer.MAX_VALUE;
        int tried = 0;
        List<Map.Entry<String, String>> wanted = new ArrayList<>(ml.entrySet());
        // Per wanted label: whether a value the label has on some pod is a misspelling of the wanted one.
        List<Map<String, Boolean>> close = new ArrayList<>();
        wanted.forEach(e -> close.add(new java.util.HashMap<>()));
        for (Map<String, String> labels : labelSets) {
            if (++tried > 2000) {
                break;
            }
            List<String> fixes = new ArrayList<>();
            int score = 0;
            boolean ok = true;
            for (int w = 0; w < wanted.size(); w++) {
                Map.Entry<String, String> e = wanted.get(w);
                String want = e.getValue() == null ? "" : e.getValue();
                String have = labels.get(e.getKey());
                if (want.equals(have)) {
                    fixes.add(e.getKey() + "=" + want);
                    continue;
                }
                if (have != null) {
                    if (!close.get(w).computeIfAbsent(have, h -> DidYouMean.isClose(want, h))) {
                        ok = false;
                        break;
                    }
                    fixes.add(e.getKey() + "=" + have);
                    score += DidYouMean.distance(want, have);
                    continue;
                }
                String keyWithValue = null;
                for (Map.Entry<String, String> l : labels.entrySet()) {
                    if (l.getValue().equals(want)) {
                        keyWithValue = l.getKey();
                    }
                }
                if (keyWithValue != null) {
                    fixes.add(keyWithValue + "=" + want);
                    score += DidYouMean.distance(e.getKey(), keyWithValue);
                    continue;
                }
                String k = DidYouMean.closest(e.getKey(), labels.keySet()).orElse(null);
                if (k == null) {
                    ok = false;
                    break;
                }
                fixes.add(k + "=" + labels.get(k));
                score += DidYouMean.distance(e.getKey(), k) + DidYouMean.distance(want, labels.get(k));
            }
            if (ok && score < bestScore) {
                bestScore = score;
                best = String.join(", ", fixes);
            }
        }
        return best;
    }

    /** A selector in one line: {@code app=web, tier in (a,b)}; {@code empty} when it has no requirement. */
    static String selectorText(LabelSelector sel, String empty) {
        if (sel == null || LabelSelectors.isEmpty(sel)) {
            return empty;
        }
        List<String> parts = new ArrayList<>();
        if (sel.getMatchLabels() != null) {
            sel.getMatchLabels().forEach((k, v) -> parts.add(k + "=" + v));
        }
        if (sel.getMatchExpressions() != null) {
            for (LabelSelectorRequirement req : sel.getMatchExpressions()) {
                if (req == null) {
                    continue;
                }
                String op = String.valueOf(req.getOperator());
                List<String> vals = req.getValues() == null ? List.of() : req.getValues();
                parts.add(switch (op) {
                    case "Exists" -> req.getKey();
                    case "DoesNotExist" -> "!" + req.getKey();
                    case "In" -> req.getKey() + " in (" + String.join(",", vals) + ")";
                    case "NotIn" -> req.getKey() + " notin (" + String.join(",", vals) + ")";
                    default -> req.getKey() + " " + op + " (" + String.join(",", vals) + ")";
                });
            }
        }
        return String.join(", ", parts);
    }

    static String selectorText(Map<String, String> labels) {
        return "{" + labels.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue())
                .collect(Collectors.joining(", ")) + "}";
    }

    static String plural(int n, String word) {
        if (n == 1) {
            return "1 " + word;
        }
        return n + " " + (word.equals("pod or workload") ? "pods and workloads" : word + "s");
    }
}
