package dev.podnet.verify;

import dev.podnet.inventory.Entities.NodeInfo;
import dev.podnet.inventory.Entities.PodInfo;
import dev.podnet.inventory.Inventory;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where each pod of an inventory runs in the verify sandbox and how the emulated nodes are addressed. Pure
 * planning: nothing is created here.
 * <ul>
 *   <li>Pods that are not {@code hostNetwork} and have an IPv4 address take part; others are listed in
 *       {@link #skipped()} with the reason.</li>
 *   <li>A pod with {@code spec.nodeName} runs on that node. A pod without one runs on the node whose Node
 *       {@code spec.podCIDRs} holds its IP, else on an emulated node per /24 of its IP
 *       ({@code podcidr-10.244.1.0-24}).</li>
 *   <li>Each node's pod subnet (the bridge's subnet, host-local's range) is its Node podCIDR when that holds all its
 *       pods, else the smallest prefix block of at most /24 holding them; node subnets must not overlap (the nodes
 *       route each other's subnets, as flannel's host-gw backend does). The gateway (bridge address) is the first
 *       address of the subnet that no pod uses.</li>
 *   <li>The underlay joining the nodes is a /24 from 198.18.0.0/15 (RFC 2544 benchmarking range), else from
 *       169.254.0.0/16, that overlaps no node subnet; node i gets host address i+1.</li>
 * </ul>
 *
 * @param prefix     the run's namespace prefix ({@code pnv-XXXXXX-})
 * @param nodes      the nodes, in first-seen order
 * @param underlay   the underlay subnet
 * @param underlayNs the namespace holding the underlay bridge
 * @param placed     the inventory with every participating pod's {@code nodeName} set to its node (what the ruleset
 *                   generator is given)
 * @param skipped    pods left out, with the reason
 */
public record SandboxPlan(String prefix, List<NodePlan> nodes, IPAddress underlay, String underlayNs,
                          Inventory placed, List<String> skipped) {

    /**
     * One node.
     *
     * @param name       node name ({@code spec.nodeName}, or {@code podcidr-A.B.C.0-24} for an emulated node)
     * @param ns         its network namespace
     * @param subnet     pod subnet (prefix block)
     * @param gateway    the bridge address inside the subnet
     * @param underlayIp its address on the underlay
     * @param pods       its pods
     */
    public record NodePlan(String name, String ns, IPAddress subnet, String gateway, String underlayIp,
                           List<PodPlan> pods) {
    }

    /**
     * One pod.
     *
     * @param key  {@code namespace/name}
     * @param ip   its IPv4 address (kept from the manifest)
     * @param ns   its network namespace
     * @param node its node's name
     * @param pod  the inventory entry
     */
    public record PodPlan(String key, String ip, String ns, String node, PodInfo pod) {
    }

    /** Every pod of every node. */
    public List<PodPlan> pods() {
        return nodes.stream().flatMap(n -> n.pods().stream()).toList();
    }

    /** The pod with this key, or null. */
    public PodPlan pod(String key) {
        return pods().stream().filter(p -> p.key().equals(key)).findFirst().orElse(null);
    }

    private static String ipv4(PodInfo p) {
        return p.ips().stream().filter(ip -> ip.contains(".")).findFirst().orElse(null);
    }

    private static IPAddress addr(String s) {
        return new IPAddressString(s).getAddress();
    }

    /**
     * Plans the sandbox.
     *
     * @param inv    the inventory
     * @param prefix namespace prefix of this run (letters, digits, '-', at most 20 characters)
     * @throws VerifyException when no pod can take part or node subnets overlap
     */
    public static SandboxPlan plan(Inventory inv, String prefix) throws VerifyException {
        List<String> skipped = new ArrayList<>();
        Map<String, List<PodInfo>> byNode = new LinkedHashMap<>();
        Map<String, IPAddress> nodeCidr = new LinkedHashMap<>();
        for (NodeInfo n : inv.nodes()) {
            n.podCIDRs().stream().map(SandboxPlan::addr).filter(a -> a != null && a.isIPv4()).findFirst()
                    .ifPresent(a -> nodeCidr.put(n.name(), a.toPrefixBlock()));
        }
        Set<String> keys = new LinkedHashSet<>();
        for (PodInfo p : inv.pods()) {
            String ip = ipv4(p);
            if (p.hostNetwork()) {
                skipped.add(p.key() + ": hostNetwork pod (shares the node's addresses)");
                continue;
            }
            if (ip == null || addr(ip) == null) {
                skipped.add(p.key() + ": no IPv4 address in status.podIP/podIPs");
                continue;
            }
            if (!keys.add(p.key())) {
                skipped.add(p.key() + ": declared twice; the first one is used");
                continue;
            }
            String node = p.nodeName();
            if (node.isEmpty()) {
                IPAddress a = addr(ip);
                node = nodeCidr.entrySet().stream().filter(e -> e.getValue().contains(a)).map(Map.Entry::getKey)
                        .findFirst().orElse(null);
                if (node == null) {
                    IPAddress block = a.toPrefixBlock(24);
                    node = "podcidr-" + block.getLower().withoutPrefixLength().toCanonicalString() + "-24";
                }
            }
            byNode.computeIfAbsent(node, k -> new ArrayList<>()).add(p);
        }
        if (byNode.isEmpty()) {
            throw new VerifyException("no pod to run: verify needs Pod manifests with status.podIP (IPv4) and "
                    + "without hostNetwork" + (skipped.isEmpty() ? "" : " (skipped: " + String.join("; ", skipped)
                    + ")"));
        }
        Set<String> podIps = new LinkedHashSet<>();
        byNode.values().forEach(ps -> ps.forEach(p -> podIps.add(ipv4(p))));
        List<IPAddress> subnets = new ArrayList<>();
        List<String> names = new ArrayList<>(byNode.keySet());
        for (String n : names) {
            List<IPAddress> ips = byNode.get(n).stream().map(p -> addr(ipv4(p))).toList();
            IPAddress cidr = nodeCidr.get(n);
            if (cidr == null || !ips.stream().allMatch(cidr::contains)) {
                cidr = ips.get(0).toPrefixBlock(24);
                while (!ips.stream().allMatch(cidr::contains)) {
                    cidr = cidr.toPrefixBlock(cidr.getNetworkPrefixLength() - 1);
                }
            }
            for (int i = 0; i < subnets.size(); i++) {
                if (subnets.get(i).overlaps(cidr)) {
                    throw new VerifyException("the pod subnets of nodes " + names.get(i) + " (" + subnets.get(i)
                            + ") and " + n + " (" + cidr + ") overlap: the sandbox routes each node's pod subnet to "
                            + "it (host-gw style), so pods of different nodes must be in different subnets");
                }
            }
            subnets.add(cidr);
        }
        IPAddress underlay = null;
        for (String c : List.of("198.18.0.0/24", "198.19.255.0/24", "169.254.123.0/24", "169.254.77.0/24")) {
            IPAddress u = addr(c).toPrefixBlock();
            if (subnets.stream().noneMatch(u::overlaps)) {
                underlay = u;
                break;
            }
        }
        if (underlay == null || names.size() > 250) {
            throw new VerifyException("no free underlay subnet for " + names.size() + " nodes");
        }
        List<NodePlan> nodes = new ArrayList<>();
        List<PodInfo> placedPods = new ArrayList<>();
        int podIndex = 0;
        for (int i = 0; i < names.size(); i++) {
            String n = names.get(i);
            IPAddress subnet = subnets.get(i);
            String gateway = null;
            IPAddress g = subnet.getLower().withoutPrefixLength();
            for (int k = 1; k < 1024 && subnet.contains(g.increment(k)); k++) {
                String cand = g.increment(k).toCanonicalString();
                if (!podIps.contains(cand)) {
                    gateway = cand;
                    break;
                }
            }
            if (gateway == null) {
                throw new VerifyException("node " + n + ": no free address in " + subnet + " for the bridge gateway");
            }
            List<PodPlan> pods = new ArrayList<>();
            for (PodInfo p : byNode.get(n)) {
                PodInfo placed = new PodInfo(p.namespace(), p.name(), p.kind(), p.labels(), p.ips(), p.ports(), n,
                        p.hostNetwork(), p.source(), p.labelsPointer());
                placedPods.add(placed);
                pods.add(new PodPlan(p.key(), ipv4(p), prefix + "p" + podIndex++, n, placed));
            }
            String ul = underlay.getLower().withoutPrefixLength().increment(i + 1).toCanonicalString();
            nodes.add(new NodePlan(n, prefix + "n" + i, subnet, gateway, ul, pods));
        }
        List<PodInfo> allPods = new ArrayList<>(placedPods);
        Set<String> placedKeys = new LinkedHashSet<>();
        placedPods.forEach(p -> placedKeys.add(p.key()));
        for (PodInfo p : inv.pods()) {
            if (!placedKeys.contains(p.key())) {
                allPods.add(p);
            }
        }
        Inventory placed = new Inventory(inv.facts(), inv.namespaces(), allPods, inv.workloads(), inv.services(),
                inv.nodes(), inv.policies());
        return new SandboxPlan(prefix, List.copyOf(nodes), underlay, prefix + "u", placed, List.copyOf(skipped));
    }
}
