package dev.podnet.reach;

import dev.podnet.config.ClusterFacts;
import dev.podnet.inventory.Entities.ContainerPort;
import dev.podnet.inventory.Entities.NamespaceInfo;
import dev.podnet.inventory.Entities.PodInfo;
import dev.podnet.inventory.Inventory;
import dev.podnet.reach.CompiledPolicy.IpBlock;
import dev.podnet.reach.CompiledPolicy.Peer;
import dev.podnet.reach.CompiledPolicy.Rule;
import dev.podnet.inventory.LabelSelectors;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Computes whole truth tables (every ordered pair of pods, per probe) on equivalence classes of pods instead of
 * pod pairs. Two pods are in one class when nothing a NetworkPolicy can test tells them apart: same namespace
 * (name and labels), same pod labels, same declared container ports, and, when ipBlock matches pod IPs, the
 * same set of ipBlocks containing their IPs. Per probe the engine then works on bit sets over classes:
 * <ul>
 *   <li>per rule, the classes its peers match ({@code from}/{@code to} absent = all) and, per probe, whether its
 *       ports match each destination class (named ports resolve on the destination's declared ports);</li>
 *   <li>per source class isolated for egress, the destination classes some egress rule admits (memoised by the
 *       source's set of egress rules);</li>
 *   <li>per destination class isolated for ingress, the source classes some ingress rule admits (memoised by the
 *       set of rules whose ports match);</li>
 *   <li>verdict(S, D) = egress(S) admits D and ingress(D) admits S; a pod and itself are always allowed.</li>
 * </ul>
 * The semantics are those of {@link Evaluator} (kubernetes.io "Network Policies"; networking/v1 {@code types.go});
 * the test suite checks the two against a per-pair reference evaluator. The pods of a table are the inventory's
 * Pods and workload pod templates, sorted by namespace then name. hostNetwork pods are treated like other pods
 * (option (a) of kubernetes.io "NetworkPolicy and hostNetwork pods"); a pod with several IPs (dual-stack)
 * matches an ipBlock when any of its IPs does.
 */
public final class ReachabilityEngine {
    private final Inventory inventory;
    private final ClusterFacts facts;
    private final List<CompiledPolicy> policies;
    private final Evaluator evaluator;
    private final List<Endpoint.Pod> pods;
    private final int[] classOf;
    private final List<Endpoint.Pod> reps = new ArrayList<>();
    private final List<Integer> sizes = new ArrayList<>();
    private final List<BitSet> repSignatures = new ArrayList<>();
    /** Distinct ipBlocks (by their text) to their bit in the class signatures; empty when ipBlock skips pods. */
    private final Map<String, Integer> blockIndex = new LinkedHashMap<>();
    private final List<Rule> rules = new ArrayList<>();
    private final List<BitSet> rulePeers = new ArrayList<>();
    private final Map<String, List<Integer>> classesByNamespace = new LinkedHashMap<>();
    /** Per class: ids of the egress rules of the policies isolating it for egress; null when not isolated. */
    private final List<int[]> egressRules = new ArrayList<>();
    /** Per class: ids of the ingress rules of the policies isolating it for ingress; null when not isolated. */
    private final List<int[]> ingressRules = new ArrayList<>();
    /** Classes grouped by their declared container ports (named ports resolve on these alone). */
    private final Map<List<ContainerPort>, BitSet> classesByPorts = new LinkedHashMap<>();
    /** Pod index by identity, for {@link #indexOf(Endpoint.Pod)}. */
    private final Map<Endpoint.Pod, Integer> podIndex = new java.util.IdentityHashMap<>();
    /** Pods per class, built on first use. */
    private List<List<Endpoint.Pod>> members;
    /** Pods by namespace, in table order. */
    private final Map<String, List<Endpoint.Pod>> podsByNamespace = new HashMap<>();

    /** Prepares the classes and per-rule peer sets for an inventory. */
    public ReachabilityEngine(Inventory inventory) {
        this.inventory = inventory;
        this.facts = inventory.facts();
        this.policies = inventory.policies().stream().map(CompiledPolicy::compile).toList();
        this.evaluator = new Evaluator(policies, facts);
        List<PodInfo> all = new ArrayList<>(inventory.podsAndWorkloads());
        all.sort(PodInfo.TABLE_ORDER);
        List<Endpoint.Pod> eps = new ArrayList<>(all.size());
        for (PodInfo p : all) {
            eps.add(Endpoint.Pod.of(p, nsLabels(p.namespace())));
        }
        this.pods = List.copyOf(eps);
        for (int i = 0; i < pods.size(); i++) {
            podIndex.put(pods.get(i), i);
            podsByNamespace.computeIfAbsent(pods.get(i).pod().namespace(), k -> new ArrayList<>()).add(pods.get(i));
        }
        this.classOf = new int[pods.size()];
        buildClasses();
        buildRules();
    }

    /** The labels of a namespace ({@code kubernetes.io/metadata.name} only when the inventory lacks it). */
    public Map<String, String> nsLabels(String ns) {
        NamespaceInfo n = inventory.namespace(ns);
        return n == null ? Map.of("kubernetes.io/metadata.name", ns) : n.labels();
    }

    /** The inventory. */
    public Inventory inventory() {
        return inventory;
    }

    /** The per-connection evaluator over the same policies (for explanations, IPs and Services). */
    public Evaluator evaluator() {
        return evaluator;
    }

    /** The pods of the table, sorted by namespace then name. */
    public List<Endpoint.Pod> pods() {
        return pods;
    }

    /** The index of a pod of this table in {@link #pods()} (by identity), or -1 when it is not one of them. */
    public int indexOf(Endpoint.Pod p) {
        Integer i = podIndex.get(p);
        return i == null ? -1 : i;
    }

    /** The pods of a namespace, in table order (empty when none). */
    public List<Endpoint.Pod> podsInNamespace(String ns) {
        return podsByNamespace.getOrDefault(ns, List.of());
    }

    /** The classes of a namespace's pods, in table order (empty when none). */
    public List<Integer> classesInNamespace(String ns) {
        return classesByNamespace.getOrDefault(ns, List.of());
    }

    /** The number of equivalence classes. */
    public int classCount() {
        return reps.size();
    }

    /** The class of the pod at index {@code i} of {@link #pods()}. */
    public int classOf(int i) {
        return classOf[i];
    }

    /** The number of pods in a class. */
    public int classSize(int c) {
        return sizes.get(c);
    }

    /** The pods of a class, in table order. */
    public synchronized List<Endpoint.Pod> members(int c) {
        if (members == null) {
            List<List<Endpoint.Pod>> m = new ArrayList<>();
            for (int k = 0; k < reps.size(); k++) {
                m.add(new ArrayList<>());
            }
            for (int i = 0; i < pods.size(); i++) {
                m.get(classOf[i]).add(pods.get(i));
            }
            members = m.stream().map(List::copyOf).toList();
        }
        return members.get(c);
    }

    /** A pod of the class (the first in table order). */
    public Endpoint.Pod representative(int c) {
        return reps.get(c);
    }

    /**
     * The default probes: every port/protocol a pod of the table declares, in port then protocol order, at most
     * {@code cap} of them (the lowest ports are kept).
     */
    public List<Probe> declaredProbes(int cap) {
        Set<Probe> all = new TreeSet<>();
        for (Endpoint.Pod p : pods) {
            for (ContainerPort cp : p.pod().ports()) {
                if (cp.port() >= 1 && cp.port() <= 65535 && Probe.PROTOCOLS.contains(cp.protocol())) {
                    all.add(new Probe(cp.port(), cp.protocol()));
                }
            }
        }
        return all.stream().limit(cap).toList();
    }

    /** The number of distinct declared probes (before any cap). */
    public int declaredProbeCount() {
        return declaredProbes(Integer.MAX_VALUE).size();
    }

    private record ClassKey(String ns, Map<String, String> nsLabels, Map<String, String> labels,
                            Set<String> ports, BitSet ipSignature) {
    }

    private void buildClasses() {
        if (facts.ipBlockMatchesPodIPs()) {
            for (CompiledPolicy cp : policies) {
                for (Direction d : Direction.values()) {
                    for (Rule r : cp.rules(d)) {
                        if (r.peers() != null) {
                            r.peers().stream().filter(p -> p.ipBlock() != null)
                                    .forEach(p -> blockIndex.putIfAbsent(p.ipBlock().text(), blockIndex.size()));
                        }
                    }
                }
            }
        }
        BitSet[] sigs = new BitSet[pods.size()];
        for (int i = 0; i < sigs.length; i++) {
            sigs[i] = new BitSet();
        }
        if (!blockIndex.isEmpty()) {
            IpIndex index = new IpIndex(pods);
            Map<String, IpBlock> blocks = new HashMap<>();
            for (CompiledPolicy cp : policies) {
                for (Direction d : Direction.values()) {
                    for (Rule r : cp.rules(d)) {
                        if (r.peers() != null) {
                            r.peers().stream().filter(p -> p.ipBlock() != null)
                                    .forEach(p -> blocks.putIfAbsent(p.ipBlock().text(), p.ipBlock()));
                        }
                    }
                }
            }
            for (Map.Entry<String, Integer> e : blockIndex.entrySet()) {
                BitSet in = index.podsIn(blocks.get(e.getKey()));
                for (int i = in.nextSetBit(0); i >= 0; i = in.nextSetBit(i + 1)) {
                    sigs[i].set(e.getValue());
                }
            }
        }
        Map<ClassKey, Integer> ids = new HashMap<>();
        // pods of one template declare the same ports: their port set is made once
        Map<List<ContainerPort>, Set<String>> portSets = new HashMap<>();
        for (int i = 0; i < pods.size(); i++) {
            Endpoint.Pod p = pods.get(i);
            Set<String> ports = portSets.computeIfAbsent(p.pod().ports(), declared -> {
                Set<String> set = new TreeSet<>();
                declared.forEach(cp -> set.add(cp.name() + "|" + cp.port() + "|" + cp.protocol()));
                return set;
            });
            ClassKey key = new ClassKey(p.pod().namespace(), p.nsLabels(), p.pod().labels(), ports, sigs[i]);
            Integer id = ids.get(key);
            if (id == null) {
                id = reps.size();
                ids.put(key, id);
                reps.add(p);
                repSignatures.add(sigs[i]);
                sizes.add(0);
                classesByNamespace.computeIfAbsent(p.pod().namespace(), k -> new ArrayList<>()).add(id);
                classesByPorts.computeIfAbsent(p.pod().ports(), k -> new BitSet()).set(id);
            }
            sizes.set(id, sizes.get(id) + 1);
            classOf[i] = id;
        }
    }

    /**
     * The pods' addresses sorted (ipaddress ordering), so the pods inside an ipBlock are found by two binary
     * searches per block instead of one containment test per pod.
     */
    private static final class IpIndex {
        private final int[] version;
        private final java.math.BigInteger[] value;
        private final int[] owner;

        IpIndex(List<Endpoint.Pod> pods) {
            record Entry(int version, java.math.BigInteger value, int owner) {
            }
            List<Entry> entries = new ArrayList<>();
            for (int i = 0; i < pods.size(); i++) {
                for (IPAddress a : pods.get(i).ips()) {
                    entries.add(new Entry(a.isIPv4() ? 4 : 6, a.getValue(), i));
                }
            }
            entries.sort(Comparator.comparingInt(Entry::version).thenComparing(Entry::value));
            version = new int[entries.size()];
            value = new java.math.BigInteger[entries.size()];
            owner = new int[entries.size()];
            for (int k = 0; k < owner.length; k++) {
                version[k] = entries.get(k).version();
                value[k] = entries.get(k).value();
                owner[k] = entries.get(k).owner();
            }
        }

        /** Sets (or clears) the indexes of the sorted addresses inside a prefix block. */
        private void range(IPAddress block, BitSet out, boolean set) {
            int v = block.isIPv4() ? 4 : 6;
            java.math.BigInteger lo = block.getValue();
            java.math.BigInteger hi = block.getUpperValue();
            int l = 0;
            int h = owner.length;
            while (l < h) {
                int m = (l + h) >>> 1;
                if (version[m] < v || (version[m] == v && value[m].compareTo(lo) < 0)) {
                    l = m + 1;
                } else {
                    h = m;
                }
            }
            for (int k = l; k < owner.length && version[k] == v && value[k].compareTo(hi) <= 0; k++) {
                out.set(k, set);
            }
        }

        /** The pods with at least one address inside cidr and outside every except. */
        BitSet podsIn(IpBlock b) {
            BitSet entries = new BitSet(owner.length);
            BitSet out = new BitSet();
            if (b.cidr() == null) {
                return out;
            }
            range(b.cidr(), entries, true);
            for (IPAddress e : b.except()) {
                range(e, entries, false);
            }
            for (int k = entries.nextSetBit(0); k >= 0; k = entries.nextSetBit(k + 1)) {
                out.set(owner[k]);
            }
            return out;
        }
    }

    private void buildRules() {
        int n = reps.size();
        List<List<Integer>> eg = new ArrayList<>();
        List<List<Integer>> in = new ArrayList<>();
        for (int c = 0; c < n; c++) {
            eg.add(null);
            in.add(null);
        }
        Map<Object, BitSet> nsSelectorCache = new HashMap<>();
        for (CompiledPolicy cp : policies) {
            List<Integer> selected = new ArrayList<>();
            for (int c : candidateClasses(cp.info().namespace(), cp.podSelector())) {
                if (LabelSelectors.matches(cp.podSelector(), reps.get(c).pod().labels())) {
                    selected.add(c);
                }
            }
            for (Direction d : Direction.values()) {
                if (!cp.isolates(d)) {
                    continue;
                }
                List<Integer> ids = new ArrayList<>();
                for (Rule r : cp.rules(d)) {
                    ids.add(rules.size());
                    rules.add(r);
                    rulePeers.add(peerSet(r));
                }
                List<List<Integer>> target = d == Direction.EGRESS ? eg : in;
                for (int c : selected) {
                    if (target.get(c) == null) {
                        target.set(c, new ArrayList<>());
                    }
                    target.get(c).addAll(ids);
                }
            }
        }
        for (int c = 0; c < n; c++) {
            egressRules.add(eg.get(c) == null ? null : eg.get(c).stream().mapToInt(Integer::intValue).toArray());
            ingressRules.add(in.get(c) == null ? null : in.get(c).stream().mapToInt(Integer::intValue).toArray());
        }
    }

    /** Per namespace: {@code key NUL value} of each label to the classes of the namespace whose pods carry it. */
    private final Map<String, Map<String, List<Integer>>> classesByLabel =
            new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * The classes of namespace {@code ns} a pod selector may match, in ascending order: when the selector has
     * {@code matchLabels}, only the classes whose pods carry its first label (looked up in an index built once per
     * namespace), else every class of the namespace. A superset of the matches: callers still match each one. A null
     * selector selects every class of the namespace.
     */
    public List<Integer> candidateClasses(String ns, io.fabric8.kubernetes.api.model.LabelSelector sel) {
        return candidateClasses(ns, sel == null ? null : sel.getMatchLabels());
    }

    /** As {@link #candidateClasses(String, io.fabric8.kubernetes.api.model.LabelSelector)} for equality labels. */
    public List<Integer> candidateClasses(String ns, Map<String, String> matchLabels) {
        List<Integer> all = classesByNamespace.getOrDefault(ns, List.of());
        String first = LabelSelectors.firstIndexKey(matchLabels);
        if (first == null) {
            return all;
        }
        Map<String, List<Integer>> index = classesByLabel.computeIfAbsent(ns, n -> {
            Map<String, List<Integer>> m = new HashMap<>();
            for (int c : all) {
                reps.get(c).pod().labels().forEach((k, v) -> m.computeIfAbsent(LabelSelectors.indexKey(k, v),
                        x -> new ArrayList<>()).add(c));
            }
            return m;
        });
        return index.getOrDefault(first, List.of());
    }

    /** The classes a rule's peers match (shared, never modified: callers copy before changing it). */
    private BitSet peerSet(Rule r) {
        int n = reps.size();
        if (r.peers() == null) {
            if (allClasses == null) {
                allClasses = new BitSet(n);
                allClasses.set(0, n);
            }
            return allClasses;
        }
        if (r.peers().size() == 1) {
            return peerClasses(r.peers().get(0));
        }
        BitSet out = new BitSet(n);
        for (Peer peer : r.peers()) {
            out.or(peerClasses(peer));
        }
        return out;
    }

    private BitSet allClasses;
    /** The classes each distinct peer matches: policies repeat peers (the DNS peer, a namespace's peers). */
    private final Map<List<Object>, BitSet> peerClasses = new HashMap<>();

    private BitSet peerClasses(Peer peer) {
        // The policy's namespace matters only to a peer without namespaceSelector; selectors compare by value.
        List<Object> key = java.util.Arrays.asList(peer.namespaceSelector(), peer.podSelector(),
                peer.namespaceSelector() == null ? peer.policyNamespace() : null,
                peer.ipBlock() == null ? null : peer.ipBlock().text());
        BitSet known = peerClasses.get(key);
        if (known != null) {
            return known;
        }
        int n = reps.size();
        BitSet out = new BitSet(n);
        if (peer.ipBlock() != null) {
            Integer bit = blockIndex.get(peer.ipBlock().text());
            if (bit != null) {
                for (int c = 0; c < n; c++) {
                    if (repSignatures.get(c).get(bit)) {
                        out.set(c);
                    }
                }
            }
        } else if (peer.namespaceSelector() != null || peer.podSelector() != null) {
            for (Map.Entry<String, List<Integer>> e : classesByNamespace.entrySet()) {
                List<Integer> cs = e.getValue();
                if (peer.namespaceSelector() == null) {
                    if (!e.getKey().equals(peer.policyNamespace())) {
                        continue;
                    }
                } else if (!LabelSelectors.matches(peer.namespaceSelector(), reps.get(cs.get(0)).nsLabels())) {
                    continue;
                }
                for (int c : peer.podSelector() == null ? cs : candidateClasses(e.getKey(), peer.podSelector())) {
                    if (!out.get(c) && (peer.podSelector() == null
                            || LabelSelectors.matches(peer.podSelector(), reps.get(c).pod().labels()))) {
                        out.set(c);
                    }
                }
            }
        }
        peerClasses.put(key, out);
        return out;
    }

    /**
     * Computes the truth table for the probes. Per probe the table keeps, per source class, the destination
     * classes its egress admits and, per destination class isolated for ingress, the source classes its ingress
     * admits (equal sets are shared), so computing it costs classes x rules, not classes squared; a verdict is the
     * AND of the two.
     */
    public Table compute(List<Probe> probes) {
        int n = reps.size();
        List<BitSet[]> egressRows = new ArrayList<>();
        List<BitSet[]> ingressColumns = new ArrayList<>();
        BitSet everyClass = new BitSet(n);
        everyClass.set(0, n);
        for (Probe probe : probes) {
            BitSet[] rows = new BitSet[n];
            BitSet[] columns = new BitSet[n];
            egressRows.add(rows);
            ingressColumns.add(columns);
            if (facts.noEnforcement()) {
                java.util.Arrays.fill(rows, everyClass);
                continue;
            }
            // Port match per rule: null = every class, an empty set = none, else the destination classes.
            BitSet[] portMatch = new BitSet[rules.size()];
            BitSet none = new BitSet();
            for (int r = 0; r < rules.size(); r++) {
                Rule rule = rules.get(r);
                if (rule.hasNamedPort()) {
                    // A named port resolves on the destination's declared ports only: decide once per port list.
                    BitSet b = new BitSet(n);
                    for (Map.Entry<List<ContainerPort>, BitSet> g : classesByPorts.entrySet()) {
                        if (rule.portMatches(probe, g.getKey())) {
                            b.or(g.getValue());
                        }
                    }
                    portMatch[r] = b;
                } else {
                    portMatch[r] = rule.portMatches(probe, null) ? null : none;
                }
            }
            Map<List<Integer>, BitSet> memo = new HashMap<>();
            for (int s = 0; s < n; s++) {
                int[] er = egressRules.get(s);
                if (er == null) {
                    rows[s] = everyClass;
                    continue;
                }
                List<Integer> key = new ArrayList<>(er.length);
                for (int r : er) {
                    key.add(r);
                }
                BitSet allowed = memo.get(key);
                if (allowed == null) {
                    allowed = new BitSet(n);
                    for (int r : er) {
                        BitSet pm = portMatch[r];
                        if (pm == null) {
                            allowed.or(rulePeers.get(r));
                        } else if (!pm.isEmpty()) {
                            BitSet t = (BitSet) rulePeers.get(r).clone();
                            t.and(pm);
                            allowed.or(t);
                        }
                    }
                    memo.put(key, allowed);
                }
                rows[s] = allowed;
            }
            memo.clear();
            for (int d = 0; d < n; d++) {
                int[] ir = ingressRules.get(d);
                if (ir == null) {
                    continue;
                }
                List<Integer> key = new ArrayList<>(ir.length);
                for (int r : ir) {
                    BitSet pm = portMatch[r];
                    if (pm == null || pm.get(d)) {
                        key.add(r);
                    }
                }
                BitSet admitted = memo.get(key);
                if (admitted == null) {
                    admitted = new BitSet(n);
                    for (int r : key) {
                        admitted.or(rulePeers.get(r));
                    }
                    memo.put(key, admitted);
                }
                columns[d] = admitted;
            }
        }
        return new Table(this, List.copyOf(probes), egressRows, ingressColumns);
    }

    /**
     * Resolves an address: the pod that has it, else an {@link Endpoint.Ip} (naming the node when a Node object
     * lists it). Returns null when the text is not an IP address.
     */
    public Endpoint endpointForIp(String text) {
        IPAddress a = new IPAddressString(text.trim()).getAddress();
        if (a == null || a.isMultiple()) {
            return null;
        }
        return endpointForIp(a.withoutPrefixLength());
    }

    /** Resolves a parsed address; see {@link #endpointForIp(String)}. */
    public Endpoint endpointForIp(IPAddress a) {
        for (Endpoint.Pod p : pods) {
            if (p.ips().contains(a)) {
                return p;
            }
        }
        for (var node : inventory.nodes()) {
            for (String addr : node.addresses()) {
                IPAddress na = new IPAddressString(addr).getAddress();
                if (na != null && na.withoutPrefixLength().equals(a)) {
                    return new Endpoint.Ip(a, node.name());
                }
            }
        }
        return new Endpoint.Ip(a, "");
    }

    /** The pod with this {@code ns/name}, or null. */
    public Endpoint.Pod pod(String key) {
        for (Endpoint.Pod p : pods) {
            if (p.label().equals(key)) {
                return p;
            }
        }
        return null;
    }
}
