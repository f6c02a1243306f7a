package dev.podnet.dataplane.ruleset;

import dev.podnet.dataplane.Addresses;
import dev.podnet.dataplane.ruleset.AllowPolicy.Allow;
import dev.podnet.dataplane.ruleset.AllowPolicy.Block;
import dev.podnet.dataplane.ruleset.AllowPolicy.PortSpec;
import inet.ipaddr.IPAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Generates the filter-table whitelist for one node's local pods as {@code iptables-restore --noflush} input, and
 * the ipsets it uses as {@code ipset restore} input, in the layout of the project notes (iptables-model.md §6,
 * after kube-router's mark + RETURN scheme):
 *
 * <pre>
 * INPUT/FORWARD/OUTPUT rule 1 -> PODNET-INPUT / PODNET-FORWARD / PODNET-OUTPUT
 * PODNET-FORWARD: clear marks 0x30000; ctstate INVALID DROP; RELATED,ESTABLISHED ACCEPT;
 *                 -s pod -> PODNET-E-pod (pods selected for egress); -d pod -> PODNET-I-pod (selected for ingress);
 *                 mark 0x20000 -> ACCEPT
 * PODNET-INPUT:   the same with only the egress jumps (pod -> node); PODNET-OUTPUT: empty (node -> pod allowed)
 * PODNET-I-pod / PODNET-E-pod: clear 0x10000; one guarded jump per selecting policy; REJECT if 0x10000 unset;
 *                 set 0x20000 and clear 0x10000
 * PODNET-PI-policy / PODNET-PE-policy: per (peer x port) a MARK 0x10000 rule and a RETURN rule with the same match
 * </pre>
 *
 * Peers are ipsets: {@code PODNET-S-*} hash:ip per distinct pod set, {@code PODNET-B-*} hash:net per rule's
 * ipBlocks (except entries with {@code nomatch}; a /0 is split into two /1 because hash:net cannot hold /0), and
 * named ports {@code PODNET-N-*} hash:ip,port ({@code podIP,proto:port}, matched {@code dst,dst}). Rule count grows
 * with selected pods, policies and rule entries, never with pods squared. Names are the first 16 hex digits of
 * sha256 of the content, so identical sets are shared. IPv4 only.
 */
public final class WhitelistGenerator {
    private WhitelistGenerator() {
    }

    /** Mark bit "a policy of the current chain allowed this direction" (scratch). */
    public static final long MARK_ALLOWED = 0x10000;
    /** Mark bit "passed all pod chains". */
    public static final long MARK_PASSED = 0x20000;

    /**
     * The generated input files.
     *
     * @param iptablesRestore input for {@code iptables-restore --noflush}
     * @param ipsetRestore    input for {@code ipset restore}
     * @param ruleCount       number of rules in iptablesRestore
     * @param setCount        number of ipsets
     */
    public record Output(String iptablesRestore, String ipsetRestore, int ruleCount, int setCount) {
    }

    private static final class Builder {
        final StringBuilder chains = new StringBuilder();
        final StringBuilder rules = new StringBuilder();
        final Map<String, String> sets = new LinkedHashMap<>(); // name -> create+add lines
        int ruleCount;

        void chain(String name) {
            chains.append(':').append(name).append(" - [0:0]\n");
        }

        void rule(String chain, String spec) {
            rules.append("-A ").append(chain).append(' ').append(spec).append('\n');
            ruleCount++;
        }

        String set(String prefix, String type, List<String> entries) {
            String name = prefix + hash(type + "\n" + String.join("\n", entries));
            sets.computeIfAbsent(name, n -> {
                StringBuilder b = new StringBuilder("create ").append(n).append(' ').append(type)
                        .append(" family inet hashsize 1024 maxelem 65536\n");
                for (String e : entries) {
                    b.append("add ").append(n).append(' ').append(e).append('\n');
                }
                return b.toString();
            });
            return name;
        }
    }

    /**
     * Generates for the node whose local pods are {@code localPods}.
     *
     * @param localPods addresses of the pods on this node (chains are made only for these)
     * @param policies  all policies of the cluster (selectors resolved)
     */
    public static Output generate(List<IPAddress> localPods, List<AllowPolicy> policies) {
        Builder b = new Builder();
        b.chain("PODNET-INPUT");
        b.chain("PODNET-FORWARD");
        b.chain("PODNET-OUTPUT");
        for (String top : List.of("PODNET-FORWARD", "PODNET-INPUT")) {
            b.rule(top, "-m comment --comment \"podnet: clear marks\" -j MARK --set-xmark 0x0/0x30000");
            b.rule(top, "-m conntrack --ctstate INVALID -j DROP");
            b.rule(top, "-m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT");
        }
        Map<String, String> policyChains = new LinkedHashMap<>();
        Map<IPAddress, List<AllowPolicy>> selecting = new HashMap<>();
        for (AllowPolicy p : policies) {
            for (IPAddress a : new java.util.LinkedHashSet<>(p.selectedPods())) {
                selecting.computeIfAbsent(a.withoutPrefixLength(), k -> new ArrayList<>()).add(p);
            }
        }
        for (IPAddress pod : localPods) {
            String ip = Addresses.text(pod);
            List<AllowPolicy> in = new ArrayList<>();
            List<AllowPolicy> eg = new ArrayList<>();
            for (AllowPolicy p : selecting.getOrDefault(pod.withoutPrefixLength(), List.of())) {
                if (p.ingress()) {
                    in.add(p);
                }
                if (p.egress()) {
                    eg.add(p);
                }
            }
            if (!eg.isEmpty()) {
                String chain = "PODNET-E-" + hash("pod " + ip);
                podChain(b, chain, eg, policyChains, false);
                b.rule("PODNET-FORWARD", "-s " + ip + "/32 -j " + chain);
                b.rule("PODNET-INPUT", "-s " + ip + "/32 -j " + chain);
            }
            if (!in.isEmpty()) {
                String chain = "PODNET-I-" + hash("pod " + ip);
                podChain(b, chain, in, policyChains, true);
                b.rule("PODNET-FORWARD", "-d " + ip + "/32 -j " + chain);
            }
        }
        for (String top : List.of("PODNET-FORWARD", "PODNET-INPUT")) {
            b.rule(top, "-m mark --mark 0x20000/0x20000 -j ACCEPT");
        }
        StringBuilder out = new StringBuilder("*filter\n").append(b.chains).append(b.rules);
        out.append("-I INPUT 1 -j PODNET-INPUT\n-I FORWARD 1 -j PODNET-FORWARD\n-I OUTPUT 1 -j PODNET-OUTPUT\n");
        out.append("COMMIT\n");
        StringBuilder sets = new StringBuilder();
        b.sets.values().forEach(sets::append);
        return new Output(out.toString(), sets.toString(), b.ruleCount + 3, b.sets.size());
    }

    private static void podChain(Builder b, String chain, List<AllowPolicy> policies, Map<String, String> made,
                                 boolean ingress) {
        b.chain(chain);
        b.rule(chain, "-j MARK --set-xmark 0x0/0x10000");
        for (AllowPolicy p : policies) {
            String pc = (ingress ? "PODNET-PI-" : "PODNET-PE-") + hash("policy " + p.name());
            if (!made.containsKey(pc)) {
                made.put(pc, p.name());
                policyChain(b, pc, p, ingress);
            }
            b.rule(chain, "-m mark ! --mark 0x10000/0x10000 -m comment --comment \"" + p.name() + "\" -j " + pc);
        }
        b.rule(chain, "-m mark ! --mark 0x10000/0x10000 -j REJECT --reject-with icmp-port-unreachable");
        b.rule(chain, "-j MARK --set-xmark 0x20000/0x30000");
    }

    private static void policyChain(Builder b, String chain, AllowPolicy p, boolean ingress) {
        b.chain(chain);
        String dir = ingress ? "src" : "dst";
        for (Allow a : ingress ? p.ingressRules() : p.egressRules()) {
            List<String> peers = new ArrayList<>();
            if (a.anyPeer()) {
                peers.add("");
            } else {
                if (!a.pods().isEmpty()) {
                    List<String> entries = new ArrayList<>(new TreeSet<>(a.pods().stream().map(Addresses::text)
                            .toList()));
                    peers.add("-m set --match-set " + b.set("PODNET-S-", "hash:ip", entries) + " " + dir + " ");
                }
                if (!a.blocks().isEmpty()) {
                    List<String> entries = new ArrayList<>();
                    for (Block bl : a.blocks()) {
                        entries.addAll(netEntries(bl.cidr(), false));
                        for (IPAddress e : bl.except()) {
                            entries.addAll(netEntries(e, true));
                        }
                    }
                    peers.add("-m set --match-set " + b.set("PODNET-B-", "hash:net", entries) + " " + dir + " ");
                }
            }
            List<String> ports = new ArrayList<>();
            if (a.ports().isEmpty()) {
                ports.add("");
            }
            for (PortSpec ps : a.ports()) {
                if (ps.namedPort() != null) {
                    List<String> entries = new ArrayList<>();
                    ps.namedPort().forEach((ip, n) -> entries.add(Addresses.text(ip) + "," + ps.protocol() + ":" + n));
                    entries.sort(null);
                    if (!entries.isEmpty()) {
                        ports.add("-p " + ps.protocol() + " -m set --match-set "
                                + b.set("PODNET-N-", "hash:ip,port", entries) + " dst,dst ");
                    }
                } else if (ps.port() < 0) {
                    ports.add("-p " + ps.protocol() + " ");
                } else {
                    ports.add("-p " + ps.protocol() + " -m " + ps.protocol() + " --dport " + ps.port()
                            + (ps.endPort() > ps.port() ? ":" + ps.endPort() : "") + " ");
                }
            }
            for (String peer : peers) {
                for (String port : ports) {
                    String match = peer + port;
                    b.rule(chain, match + "-j MARK --set-xmark 0x10000/0x10000");
                    b.rule(chain, match + "-m mark --mark 0x10000/0x10000 -j RETURN");
                }
            }
        }
    }

    private static List<String> netEntries(IPAddress block, boolean nomatch) {
        String suffix = nomatch ? " nomatch" : "";
        Integer len = block.getNetworkPrefixLength();
        if (len != null && len == 0) {
            return List.of("0.0.0.0/1" + suffix, "128.0.0.0/1" + suffix);
        }
        return List.of(block.toCanonicalString() + suffix);
    }

    static String hash(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d).substring(0, 16).toUpperCase(java.util.Locale.ROOT);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
