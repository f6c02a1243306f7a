package dev.podnet.ruleset;

import dev.podnet.inventory.Entities.ContainerPort;
import dev.podnet.inventory.Entities.PodInfo;
import dev.podnet.inventory.Entities.PolicyInfo;
import dev.podnet.inventory.Entities.ServiceInfo;
import dev.podnet.inventory.Entities.ServicePort;
import dev.podnet.inventory.Inventory;
import dev.podnet.inventory.LabelSelectors;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.networking.v1.IPBlock;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Generates the iptables + ipset whitelist a NetworkPolicy controller programs on a node, in the layout of
 * kube-router's iptables controller (pkg/controllers/netpol: per-pod chains entered by pod IP, per-policy chains whose
 * allow tuples set a mark and RETURN, ipsets per selector, conntrack ESTABLISHED/RELATED first, REJECT once a pod is
 * selected and nothing allowed) with podnet's names:
 * <pre>
 * filter: INPUT/FORWARD/OUTPUT -> PODNET-INPUT/PODNET-FORWARD/PODNET-OUTPUT (one jump each, position 1)
 *   PODNET-FORWARD: INVALID DROP; RELATED,ESTABLISHED ACCEPT; -s podIP -j PODNET-E-pod; -d podIP -j PODNET-I-pod;
 *                   mark 0x20000/0x20000 ACCEPT
 *   PODNET-INPUT:   the same for pod -> node (egress only); PODNET-OUTPUT: node -> pod is always allowed (empty)
 *   PODNET-I-pod / PODNET-E-pod: clear 0x10000; one jump per selecting policy while 0x10000 is unset;
 *                   REJECT when still unset; set 0x20000 and clear 0x10000
 *   PODNET-PI-policy / PODNET-PE-policy: per allowed (peer x port) tuple a pair
 *                   "match -j MARK --set-xmark 0x10000/0x10000", "match -m mark --mark 0x10000/0x10000 -j RETURN"
 * ipsets: PODNET-S-* hash:ip (pods matched by one distinct selector peer), PODNET-B-* hash:net (ipBlock, excepts
 *   with nomatch, /0 split into two /1), PODNET-N-* hash:ip,port (named ports resolved on destination pods),
 *   PODNET-PODS hash:ip (every pod IP; used when ipBlock must not match pod IPs).
 * </pre>
 * Marks 0x10000 (scratch) and 0x20000 (verdict) avoid kube-proxy's 0x4000/0x8000. The number of rules grows with
 * policies, rules, peers and ports, plus one jump per selected local pod: never with pods squared. IPv4 only: pods
 * and peers with IPv6 addresses are left out.
 */
public final class RulesetGenerator {
    /** Prefix of every chain and set podnet writes. */
    public static final String PREFIX = "PODNET-";
    static final String SCRATCH = "0x10000/0x10000";
    static final String VERDICT = "0x20000/0x20000";

    private final Inventory inv;
    private final Predicate<PodInfo> local;
    private final boolean ipBlockMatchesPods;
    private final StringBuilder filter = new StringBuilder();
    private final List<String> chains = new ArrayList<>();
    private final Map<String, StringBuilder> chainBodies = new LinkedHashMap<>();
    private final Map<String, Set<String>> sets = new LinkedHashMap<>();
    private final Map<String, String> setTypes = new LinkedHashMap<>();
    private int rules;

    private RulesetGenerator(Inventory inv, Predicate<PodInfo> local) {
        this.inv = inv;
        this.local = local;
        this.ipBlockMatchesPods = inv.facts().ipBlockMatchesPodIPs();
    }

    /**
     * Generates the ruleset for the pods of one node.
     *
     * @param inv      the cluster inventory (policies, pods with IPs, namespaces, Services)
     * @param nodeName the node whose pods get chains; null or "" for every pod with an IP
     */
    public static Ruleset generate(Inventory inv, String nodeName) {
        Predicate<PodInfo> local = p -> nodeName == null || nodeName.isEmpty() || nodeName.equals(p.nodeName());
        return new RulesetGenerator(inv, local).run();
    }

    /** sha256 of the text, base32-like (A-Z2-7), first {@code n} characters (kube-router names chains this way). */
    static String hash(String text, int n) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            String b = Base64.getEncoder().encodeToString(d).replaceAll("[^A-Za-z0-9]", "").toUpperCase(Locale.ROOT);
            return b.substring(0, n);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String ipv4(PodInfo p) {
        return p.ips().stream().filter(ip -> ip.contains(".")).findFirst().orElse(null);
    }

    private List<PodInfo> podsWithIPs;
    private final Map<PolicyInfo, List<PodInfo>> selected = new java.util.IdentityHashMap<>();

    /** Pods that have an IPv4 address and are not on the host network (computed once). */
    private List<PodInfo> podsWithIPs() {
        if (podsWithIPs == null) {
            podsWithIPs = inv.pods().stream().filter(p -> !p.hostNetwork() && ipv4(p) != null).toList();
        }
        return podsWithIPs;
    }

    /** The pods (with IPs) a policy selects (computed once per policy). */
    private List<PodInfo> selectedBy(PolicyInfo p) {
        return selected.computeIfAbsent(p, k -> podsWithIPs().stream().filter(pod -> PolicyMatch.selects(k, pod))
                .toList());
    }

    private String chain(String name) {
        if (!chainBodies.containsKey(name)) {
            chains.add(name);
            chainBodies.put(name, new StringBuilder());
        }
        return name;
    }

    private void rule(String chain, String spec) {
        chainBodies.get(chain).append("-A ").append(chain).append(' ').append(spec).append('\n');
        rules++;
    }

    private String set(String kind, String type, String key, Set<String> members) {
        String name = PREFIX + kind + "-" + hash(key, 20);
        sets.computeIfAbsent(name, k -> new LinkedHashSet<>()).addAll(members);
        setTypes.put(name, type);
        return name;
    }

    private Ruleset run() {
        String fwd = chain(PREFIX + "FORWARD");
        String in = chain(PREFIX + "INPUT");
        String out = chain(PREFIX + "OUTPUT");
        for (String c : List.of(fwd, in)) {
            rule(c, "-m conntrack --ctstate INVALID -j DROP");
            rule(c, "-m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT");
        }
        Set<String> allPods = new LinkedHashSet<>();
        podsWithIPs().forEach(p -> allPods.add(ipv4(p)));
        if (!ipBlockMatchesPods) {
            sets.put(PREFIX + "PODS", allPods);
            setTypes.put(PREFIX + "PODS", "hash:ip");
        }
        Map<String, String> policyChains = new LinkedHashMap<>();
        Map<String, List<PolicyInfo>> byNamespace = new LinkedHashMap<>();
        inv.policies().forEach(p -> byNamespace.computeIfAbsent(p.namespace(), k -> new ArrayList<>()).add(p));
        for (PodInfo pod : podsWithIPs()) {
            if (!local.test(pod)) {
                continue;
            }
            String ip = ipv4(pod) + "/32";
            for (String dir : List.of("Egress", "Ingress")) {
                List<PolicyInfo> selecting = byNamespace.getOrDefault(pod.namespace(), List.of()).stream()
                        .filter(p -> PolicyMatch.policyTypes(p.policy()).contains(dir) && PolicyMatch.selects(p, pod))
                        .toList();
                if (selecting.isEmpty()) {
                    continue;
                }
                String d = dir.equals("Ingress") ? "I" : "E";
                String podChain = chain(PREFIX + d + "-" + hash(pod.key(), 16));
                rule(podChain, "-m comment --comment \"" + pod.key() + " " + dir.toLowerCase(Locale.ROOT)
                        + "\" -j MARK --set-xmark 0x0/0x10000");
                for (PolicyInfo p : selecting) {
                    String key = d + "|" + p.namespace() + "/" + p.name();
                    String pc = policyChains.computeIfAbsent(key, k -> policyChain(p, dir));
                    rule(podChain, "-m mark ! --mark " + SCRATCH + " -j " + pc);
                }
                rule(podChain, "-m mark ! --mark " + SCRATCH + " -j REJECT --reject-with icmp-port-unreachable");
                rule(podChain, "-j MARK --set-xmark 0x20000/0x30000");
                if (dir.equals("Ingress")) {
                    rule(fwd, "-d " + ip + " -j " + podChain);
                } else {
                    rule(fwd, "-s " + ip + " -j " + podChain);
                    rule(in, "-s " + ip + " -j " + podChain);
                }
            }
        }
        rule(fwd, "-m mark --mark " + VERDICT + " -j ACCEPT");
        rule(in, "-m mark --mark " + VERDICT + " -j ACCEPT");
        filter.append("*filter\n");
        for (String c : chains) {
            filter.append(':').append(c).append(" - [0:0]\n");
        }
        // Policy chains first so pod chains may jump to them in one restore transaction (order does not matter to
        // iptables-restore, but it reads better).
        for (String c : chains) {
            filter.append(chainBodies.get(c));
        }
        filter.append("COMMIT\n");
        StringBuilder ipset = new StringBuilder();
        for (Map.Entry<String, Set<String>> e : sets.entrySet()) {
            ipset.append("create ").append(e.getKey()).append(' ').append(setTypes.get(e.getKey()))
                    .append(" family inet hashsize 1024 maxelem 1048576\n");
            for (String m : e.getValue()) {
                ipset.append("add ").append(e.getKey()).append(' ').append(m).append('\n');
            }
        }
        List<String> jumps = List.of("-I INPUT 1 -j " + in, "-I FORWARD 1 -j " + fwd, "-I OUTPUT 1 -j " + out);
        return new Ruleset(filter.toString(), jumps, nat(), ipset.toString(), List.copyOf(sets.keySet()),
                List.copyOf(chains), rules);
    }

    /** Builds the chain of one policy for one direction and returns its name. */
    private String policyChain(PolicyInfo p, String dir) {
        boolean ingress = dir.equals("Ingress");
        String name = chain(PREFIX + (ingress ? "PI-" : "PE-") + hash(p.namespace() + "/" + p.name() + "|" + dir, 16));
        var spec = p.policy().getSpec();
        List<List<NetworkPolicyPeer>> peersPerRule = new ArrayList<>();
        List<List<NetworkPolicyPort>> portsPerRule = new ArrayList<>();
        if (ingress) {
            for (NetworkPolicyIngressRule r : spec.getIngress() == null ? List.<NetworkPolicyIngressRule>of()
                    : spec.getIngress()) {
                peersPerRule.add(r.getFrom());
                portsPerRule.add(r.getPorts());
            }
        } else {
            for (NetworkPolicyEgressRule r : spec.getEgress() == null ? List.<NetworkPolicyEgressRule>of()
                    : spec.getEgress()) {
                peersPerRule.add(r.getTo());
                portsPerRule.add(r.getPorts());
            }
        }
        String side = ingress ? "src" : "dst";
        for (int i = 0; i < peersPerRule.size(); i++) {
            List<NetworkPolicyPeer> peers = peersPerRule.get(i) == null || peersPerRule.get(i).isEmpty()
                    ? java.util.Collections.singletonList(null) : peersPerRule.get(i);
            List<NetworkPolicyPort> ports = portsPerRule.get(i) == null || portsPerRule.get(i).isEmpty()
                    ? java.util.Collections.singletonList(null) : portsPerRule.get(i);
            String comment = "-m comment --comment \"" + p.namespace() + "/" + p.name() + " "
                    + dir.toLowerCase(Locale.ROOT) + " rule " + i + "\"";
            for (NetworkPolicyPeer peer : peers) {
                String peerMatch = peerMatch(p, peer, side);
                if (peerMatch == null) {
                    continue;
                }
                for (NetworkPolicyPort port : ports) {
                    String portMatch = portMatch(p, peer, port, ingress);
                    if (portMatch == null) {
                        continue;
                    }
                    // iptables-save prints the protocol before any -m match: generate in that canonical order so
                    // the apply step can compare the node's rules with ours textually.
                    String proto = "";
                    String rest = portMatch;
                    if (portMatch.startsWith("-p ")) {
                        int sp = portMatch.indexOf(' ', 3);
                        proto = sp < 0 ? portMatch : portMatch.substring(0, sp);
                        rest = sp < 0 ? "" : portMatch.substring(sp);
                    }
                    String match = (proto + " " + comment + " " + peerMatch + " " + rest).replaceAll(" +", " ")
                            .strip();
                    rule(name, match + " -j MARK --set-xmark " + SCRATCH);
                    rule(name, match + " -m mark --mark " + SCRATCH + " -j RETURN");
                }
            }
        }
        return name;
    }

    /** The match for a peer ("" for any peer), or null when the peer can match nothing on this node. */
    private String peerMatch(PolicyInfo p, NetworkPolicyPeer peer, String side) {
        if (peer == null) {
            return "";
        }
        IPBlock b = peer.getIpBlock();
        if (b != null) {
            Set<String> members = ipBlockMembers(b);
            if (members == null) {
                return null;
            }
            String s = set("B", "hash:net", "ipblock|" + b.getCidr() + "|" + b.getExcept(), members);
            String m = "-m set --match-set " + s + " " + side;
            if (!ipBlockMatchesPods) {
                m += " -m set ! --match-set " + PREFIX + "PODS " + side;
            }
            return m;
        }
        Set<String> ips = new LinkedHashSet<>();
        for (PodInfo pod : podsWithIPs()) {
            if (PolicyMatch.peerMatches(peer, p.namespace(), pod, inv)) {
                ips.add(ipv4(pod));
            }
        }
        String key = "peer|" + (peer.getNamespaceSelector() == null ? "ns=" + p.namespace()
                : "nsSel=" + canonical(peer.getNamespaceSelector())) + "|podSel=" + canonical(peer.getPodSelector());
        String s = set("S", "hash:ip", key, ips);
        return "-m set --match-set " + s + " " + side;
    }

    private static String canonical(io.fabric8.kubernetes.api.model.LabelSelector s) {
        if (s == null) {
            return "null";
        }
        return new java.util.TreeMap<>(s.getMatchLabels() == null ? Map.of() : s.getMatchLabels()) + ";"
                + (s.getMatchExpressions() == null ? "[]" : s.getMatchExpressions().stream()
                .map(e -> e.getKey() + " " + e.getOperator() + " " + (e.getValues() == null ? "[]"
                        : new java.util.TreeSet<>(e.getValues()))).sorted().toList());
    }

    /** hash:net members of an ipBlock (IPv4 only): the CIDR (a /0 split in two /1) and each except as nomatch. */
    private static Set<String> ipBlockMembers(IPBlock b) {
        IPAddress cidr = b.getCidr() == null ? null : new IPAddressString(b.getCidr()).getAddress();
        if (cidr == null || !cidr.isIPv4()) {
            return null;
        }
        Set<String> out = new LinkedHashSet<>();
        IPAddress block = cidr.toPrefixBlock();
        if (block.getNetworkPrefixLength() != null && block.getNetworkPrefixLength() == 0) {
            out.add("0.0.0.0/1");
            out.add("128.0.0.0/1");
        } else {
            out.add(netEntry(block));
        }
        if (b.getExcept() != null) {
            for (String e : b.getExcept()) {
                IPAddress x = new IPAddressString(e).getAddress();
                if (x != null && x.isIPv4()) {
                    out.add(netEntry(x.toPrefixBlock()) + " nomatch");
                }
            }
        }
        return out;
    }

    /** A hash:net entry as {@code ipset save} prints it: a /32 without its prefix length. */
    private static String netEntry(IPAddress block) {
        Integer len = block.getNetworkPrefixLength();
        return len != null && len == 32 ? block.withoutPrefixLength().toCanonicalString() : block.toCanonicalString();
    }

    /** The match for a port ("" for any), or null when a named port resolves on no candidate destination. */
    private String portMatch(PolicyInfo p, NetworkPolicyPeer peer, NetworkPolicyPort port, boolean ingress) {
        if (port == null) {
            return "";
        }
        String proto = port.getProtocol() == null ? "TCP" : port.getProtocol().toUpperCase(Locale.ROOT);
        String pr = proto.toLowerCase(Locale.ROOT);
        IntOrString v = port.getPort();
        if (v == null) {
            return "-p " + pr;
        }
        if (v.getIntVal() != null) {
            String range = port.getEndPort() != null && port.getEndPort() > v.getIntVal()
                    ? v.getIntVal() + ":" + port.getEndPort() : String.valueOf(v.getIntVal());
            return "-p " + pr + " -m " + pr + " --dport " + range;
        }
        String name = v.getStrVal();
        Set<String> members = new LinkedHashSet<>();
        for (PodInfo dst : ingress ? selectedBy(p) : podsWithIPs()) {
            boolean candidate = ingress ? local.test(dst)
                    : peer == null || (peer.getIpBlock() == null ? PolicyMatch.peerMatches(peer, p.namespace(), dst,
                    inv) : ipBlockMatchesPods && inBlock(peer.getIpBlock(), ipv4(dst)));
            if (!candidate) {
                continue;
            }
            for (ContainerPort cp : dst.ports()) {
                if (cp.name().equals(name) && cp.protocol().equalsIgnoreCase(proto)) {
                    members.add(ipv4(dst) + "," + pr + ":" + cp.port());
                }
            }
        }
        if (members.isEmpty()) {
            return null;
        }
        String s = set("N", "hash:ip,port", "named|" + p.namespace() + "/" + p.name() + "|" + ingress + "|"
                + canonicalPeer(peer) + "|" + name + "|" + proto, members);
        return "-p " + pr + " -m set --match-set " + s + " dst,dst";
    }

    private static String canonicalPeer(NetworkPolicyPeer peer) {
        if (peer == null) {
            return "any";
        }
        return canonical(peer.getNamespaceSelector()) + "/" + canonical(peer.getPodSelector()) + "/"
                + (peer.getIpBlock() == null ? "" : peer.getIpBlock().getCidr() + peer.getIpBlock().getExcept());
    }

    static boolean inBlock(IPBlock b, String ip) {
        IPAddress cidr = new IPAddressString(b.getCidr()).getAddress();
        IPAddress a = new IPAddressString(ip).getAddress();
        if (cidr == null || a == null || cidr.getIPVersion() != a.getIPVersion()
                || !cidr.toPrefixBlock().contains(a)) {
            return false;
        }
        if (b.getExcept() != null) {
            for (String e : b.getExcept()) {
                IPAddress x = new IPAddressString(e).getAddress();
                if (x != null && x.getIPVersion() == a.getIPVersion() && x.toPrefixBlock().contains(a)) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * kube-proxy-style nat rules for the Services in the inventory (iptables mode: KUBE-SERVICES → KUBE-SVC-* →
     * KUBE-SEP-*, here PODNET-SERVICES / PODNET-SVC-* / PODNET-SEP-*): ClusterIP DNAT to each ready endpoint with
     * equal probability, and KUBE-MARK-MASQ-style masquerade when the endpoint is the source (hairpin).
     */
    private String nat() {
        List<ServiceInfo> svcs = inv.services().stream().filter(s -> !s.selector().isEmpty()
                && s.clusterIPs().stream().anyMatch(ip -> ip.contains("."))).toList();
        if (svcs.isEmpty()) {
            return "";
        }
        StringBuilder decl = new StringBuilder("*nat\n");
        StringBuilder body = new StringBuilder();
        String top = PREFIX + "SERVICES";
        String post = PREFIX + "POSTROUTING";
        decl.append(':').append(top).append(" - [0:0]\n").append(':').append(post).append(" - [0:0]\n");
        body.append("-A ").append(post).append(" -m mark --mark 0x4000/0x4000 -j MASQUERADE\n");
        for (ServiceInfo s : svcs) {
            String vip = s.clusterIPs().stream().filter(ip -> ip.contains(".")).findFirst().orElseThrow();
            List<PodInfo> backends = podsWithIPs().stream().filter(p -> p.namespace().equals(s.namespace())
                    && LabelSelectors.matches(new io.fabric8.kubernetes.api.model.LabelSelector(null, s.selector()),
                    p.labels())).toList();
            for (ServicePort sp : s.ports()) {
                String pr = sp.protocol().toLowerCase(Locale.ROOT);
                String svcChain = PREFIX + "SVC-" + hash(s.namespace() + "/" + s.name() + ":" + sp.port() + pr, 16);
                decl.append(':').append(svcChain).append(" - [0:0]\n");
                body.append("-A ").append(top).append(" -d ").append(vip).append("/32 -p ").append(pr).append(" -m ")
                        .append(pr).append(" --dport ").append(sp.port()).append(" -m comment --comment \"")
                        .append(s.namespace()).append('/').append(s.name()).append(':').append(sp.port())
                        .append("\" -j ").append(svcChain).append('\n');
                List<String[]> eps = new ArrayList<>();
                for (PodInfo b : backends) {
                    Integer target = resolveTarget(sp, b);
                    if (target != null) {
                        eps.add(new String[] {ipv4(b), String.valueOf(target), b.key()});
                    }
                }
                for (int i = 0; i < eps.size(); i++) {
                    String[] ep = eps.get(i);
                    String sep = PREFIX + "SEP-" + hash(svcChain + ep[0] + ":" + ep[1], 16);
                    decl.append(':').append(sep).append(" - [0:0]\n");
                    int remaining = eps.size() - i;
                    body.append("-A ").append(svcChain);
                    if (remaining > 1) {
                        body.append(String.format(Locale.ROOT, " -m statistic --mode random --probability %.11f",
                                1.0 / remaining));
                    }
                    body.append(" -j ").append(sep).append('\n');
                    body.append("-A ").append(sep).append(" -s ").append(ep[0]).append("/32 -j MARK --set-xmark ")
                            .append("0x4000/0x4000\n");
                    body.append("-A ").append(sep).append(" -p ").append(pr).append(" -m ").append(pr)
                            .append(" -j DNAT --to-destination ").append(ep[0]).append(':').append(ep[1]).append('\n');
                }
            }
        }
        return decl.append(body).append("-I PREROUTING 1 -j ").append(top).append('\n')
                .append("-I OUTPUT 1 -j ").append(top).append('\n')
                .append("-I POSTROUTING 1 -j ").append(post).append('\n').append("COMMIT\n").toString();
    }

    /** The container port a Service port's targetPort resolves to on one backend pod, or null. */
    static Integer resolveTarget(ServicePort sp, PodInfo pod) {
        String t = sp.targetPort();
        if (t.matches("\\d+")) {
            return Integer.parseInt(t);
        }
        for (ContainerPort cp : pod.ports()) {
            if (cp.name().equals(t) && cp.protocol().equalsIgnoreCase(sp.protocol())) {
                return cp.port();
            }
        }
        return null;
    }
}
