package dev.podnet.dataplane;

import dev.podnet.cni.CniConfig;
import dev.podnet.dataplane.DataPlaneSimulator.Connection;
import dev.podnet.dataplane.DataPlaneSimulator.Result;
import dev.podnet.dataplane.DataPlaneSimulator.SimNode;
import dev.podnet.dataplane.netfilter.TraceStep;
import dev.podnet.inventory.Entities.ContainerPort;
import dev.podnet.inventory.Entities.PodInfo;
import dev.podnet.inventory.Entities.PolicyInfo;
import dev.podnet.inventory.Entities.ServiceInfo;
import dev.podnet.inventory.Entities.ServicePort;
import dev.podnet.inventory.Inventory;
import dev.podnet.inventory.InventoryBuilder;
import dev.podnet.inventory.LabelSelectors;
import dev.podnet.lint.Check;
import dev.podnet.lint.DocKind;
import dev.podnet.lint.Reporter;
import dev.podnet.lint.SourceFile;
import dev.podnet.lint.Workspace;
import dev.podnet.node.NodeFacts;
import dev.podnet.ruleset.PolicyMatch;
import dev.podnet.ruleset.RulesetGenerator;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Node-derived data-plane rules (ids {@code DP001..}): for each node-facts document among the inputs, the
 * connections between the pods placed on that node and the other pods are walked twice with
 * {@link DataPlaneSimulator}: on the node as its facts describe it (sysctls, interfaces, routes, its own
 * {@code iptables-save}/{@code ipset save}, hairpin mode from the bridge CNI config) and on the built-in healthy node
 * (the policies' intent: equal to the NetworkPolicy semantics on the conformance corpus). A connection whose
 * verdicts differ is reported with what the node's trace shows:
 * <ul>
 *   <li>DP001: allowed on the node only because {@code net.bridge.bridge-nf-call-iptables=0} lets bridged frames skip
 *       iptables, though a policy denies it: reported on that policy.</li>
 *   <li>DP002: a pod reaching itself through its Service is dropped by the bridge (hairpin off): reported on the
 *       Service.</li>
 *   <li>DP003: an allowed connection is dropped or rejected by a rule (or chain policy) the node already has
 *       (Docker's {@code FORWARD} DROP, another firewall): reported on the node's {@code iptablesSave}, naming the rule
 *       from the trace.</li>
 * </ul>
 * The node-level settings themselves are NODE007/NODE008/NODE009 ({@code dev.podnet.node.NodeRules}); these rules
 * name the concrete connection the walk shows failing. Probes: each container port of the destination pod
 * (80/TCP when it declares none; at most {@value #MAX_PROBES}). At most {@value #MAX_PODS} pods per node are probed,
 * and a node whose facts show none of the three causes (bridge-nf-call-iptables 0, hairpin off in the bridge config,
 * rules of its own in iptablesSave) is not walked.
 */
public final class DataPlaneCheck implements Check {
    static final int MAX_PODS = 60;
    static final int MAX_PROBES = 3;

    @Override
    public void run(Workspace ws, Reporter r) {
        List<SourceFile.Doc> nodeDocs = ws.docs(DocKind.NODE_FACTS).toList();
        if (nodeDocs.isEmpty()) {
            return;
        }
        Inventory inv = InventoryBuilder.of(ws);
        if (inv.pods().stream().noneMatch(p -> DataPlaneSimulator.ipv4(p) != null)) {
            return;
        }
        boolean hairpin = DataPlaneSimulator.hairpinFromConfigs(CniConfig.from(ws)).orElse(true);
        DataPlaneSimulator intent = null;
        for (SourceFile.Doc nd : nodeDocs) {
            r.checkCanceled();
            NodeFacts facts = new NodeFacts(nd.doc());
            boolean bridgeNfOff = facts.sysctl(NodeNetwork.BRIDGE_NF_CALL_IPTABLES).map(v -> v.value().trim())
                    .filter(v -> v.equals("0")).isPresent();
            boolean ownRules = DataPlaneSimulator.withoutPodnet(facts.iptablesSave()).lines().map(String::trim)
                    .anyMatch(l -> l.startsWith("-A ") || l.startsWith("-I ") || l.matches(":\\S+ DROP.*"));
            if (!bridgeNfOff && hairpin && !ownRules) {
                continue; // nothing on this node can make a walk differ from the healthy one
            }
            if (intent == null) {
                intent = DataPlaneSimulator.healthy(inv);
            }
            DataPlaneSimulator actual = DataPlaneSimulator.build(inv, List.of(facts), false, hairpin);
            SimNode node = actual.nodes().stream().filter(n -> n.name().equals(facts.name())).findFirst()
                    .orElse(null);
            if (node == null || node.pods().isEmpty()) {
                continue;
            }
            List<PodInfo> local = node.pods().stream().limit(MAX_PODS).toList();
            List<PodInfo> all = actual.pods().stream().limit(MAX_PODS).toList();
            bridgeNf(facts, node, local, inv, actual, intent, r);
            if (!hairpin) {
                hairpin(facts, local, inv, actual, intent, r);
            }
            if (ownRules) {
                nodeRules(facts, local, all, actual, intent, r);
            }
        }
    }

    private static List<int[]> probes(PodInfo dst) {
        List<int[]> out = new ArrayList<>();
        for (ContainerPort cp : dst.ports()) {
            if (cp.port() >= 1 && cp.port() <= 65535) {
                out.add(new int[] {cp.port(), protoIndex(cp.protocol())});
            }
        }
        if (out.isEmpty()) {
            out.add(new int[] {80, 0});
        }
        return out.size() > MAX_PROBES ? out.subList(0, MAX_PROBES) : out;
    }

    private static final List<String> PROTOS = List.of("TCP", "UDP", "SCTP");

    private static int protoIndex(String p) {
        int i = PROTOS.indexOf(p.toUpperCase(Locale.ROOT));
        return i < 0 ? 0 : i;
    }

    private static void bridgeNf(NodeFacts facts, SimNode node, List<PodInfo> local, Inventory inv,
                                 DataPlaneSimulator actual, DataPlaneSimulator intent, Reporter r) {
        if (node.network().bridgeNfCallIptables()) {
            return;
        }
        Set<String> reported = new HashSet<>();
        for (PodInfo s : local) {
            for (PodInfo d : local) {
                if (s == d) {
                    continue;
                }
                for (int[] pr : probes(d)) {
                    Connection c = new Connection(s.key(), d.key(), pr[0], PROTOS.get(pr[1]));
                    Result a = actual.connect(c);
                    if (!a.allowed() || a.warnings().isEmpty()) {
                        continue;
                    }
                    Result want = intent.connect(c);
                    if (want.allowed()) {
                        continue;
                    }
                    // the healthy walk rejects in the pod chain of the direction that denies
                    boolean ingressDenies = want.reason().contains(RulesetGenerator.PREFIX + "I-");
                    boolean egressDenies = want.reason().contains(RulesetGenerator.PREFIX + "E-");
                    for (PolicyInfo p : inv.policies()) {
                        boolean isolates = ingressDenies && PolicyMatch.policyTypes(p.policy()).contains("Ingress")
                                && PolicyMatch.selects(p, d) || egressDenies
                                && PolicyMatch.policyTypes(p.policy()).contains("Egress") && PolicyMatch.selects(p, s);
                        if (isolates && p.source() != null && reported.add(p.namespace() + "/" + p.name())) {
                            r.report("DP001", p.source().doc(), p.source().ptr("/metadata/name"), "NetworkPolicy "
                                    + p.namespace() + "/" + p.name() + " is not enforced for same-node traffic on "
                                    + facts.name() + ": " + NodeNetwork.BRIDGE_NF_CALL_IPTABLES + "=0 lets " + c
                                    + " through the bridge without iptables; set " + NodeNetwork.BRIDGE_NF_CALL_IPTABLES
                                    + "=1 (modprobe br_netfilter)");
                        }
                    }
                }
            }
        }
    }

    private static void hairpin(NodeFacts facts, List<PodInfo> local, Inventory inv, DataPlaneSimulator actual,
                                DataPlaneSimulator intent, Reporter r) {
        for (ServiceInfo svc : inv.services()) {
            if (svc.selector().isEmpty() || svc.source() == null
                    || svc.clusterIPs().stream().noneMatch(ip -> ip.contains("."))) {
                continue;
            }
            boolean done = false;
            for (PodInfo b : local) {
                if (done || !b.namespace().equals(svc.namespace()) || !LabelSelectors.matches(
                        new io.fabric8.kubernetes.api.model.LabelSelector(null, svc.selector()), b.labels())) {
                    continue;
                }
                for (int i = 0; i < svc.ports().size() && !done; i++) {
                    ServicePort sp = svc.ports().get(i);
                    if (sp.port() < 1 || sp.port() > 65535
                            || !PROTOS.contains(sp.protocol().toUpperCase(Locale.ROOT))) {
                        continue;
                    }
                    Connection c = new Connection(b.key(), "svc:" + svc.namespace() + "/" + svc.name(), sp.port(),
                            sp.protocol());
                    Result a = actual.connect(c);
                    if (a.allowed() || !hairpinDrop(a) || !intent.connect(c).allowed()) {
                        continue;
                    }
                    r.report("DP002", svc.source().doc(), svc.source().ptr("/spec/ports/" + i), "pod " + b.key()
                            + " cannot reach itself through Service " + svc.namespace() + "/" + svc.name() + " port "
                            + sp.port() + " on " + facts.name() + ": kube-proxy picks the pod itself and the bridge "
                            + "does not send the frame back out of its port (hairpin off); set \"hairpinMode\": true "
                            + "in the bridge CNI config");
                    done = true;
                }
            }
        }
    }

    private static boolean hairpinDrop(Result a) {
        for (DataPlaneSimulator.Hop h : a.hops()) {
            for (TraceStep s : h.verdict().trace()) {
                if (s.table().isEmpty() && s.chain().equals("bridge") && s.text().contains("hairpin")) {
                    return true;
                }
            }
        }
        return false;
    }

    private static void nodeRules(NodeFacts facts, List<PodInfo> local, List<PodInfo> all,
                                  DataPlaneSimulator actual, DataPlaneSimulator intent, Reporter r) {
        Set<String> reported = new HashSet<>();
        Set<String> localKeys = new HashSet<>();
        local.forEach(p -> localKeys.add(p.key()));
        for (PodInfo s : all) {
            for (PodInfo d : all) {
                if (s == d || !localKeys.contains(s.key()) && !localKeys.contains(d.key())) {
                    continue;
                }
                for (int[] pr : probes(d)) {
                    Connection c = new Connection(s.key(), d.key(), pr[0], PROTOS.get(pr[1]));
                    Result a = actual.connect(c);
                    if (a.allowed() || a.verdict().equals("unknown") || a.hops().isEmpty()) {
                        continue;
                    }
                    DataPlaneSimulator.Hop last = a.hops().get(a.hops().size() - 1);
                    if (!last.node().equals(facts.name())) {
                        continue;
                    }
                    List<TraceStep> trace = last.verdict().trace();
                    TraceStep decided = trace.isEmpty() ? null : trace.get(trace.size() - 1);
                    if (decided == null || decided.table().isEmpty()
                            || decided.chain().startsWith(RulesetGenerator.PREFIX)
                            || decided.text().contains(RulesetGenerator.PREFIX)) {
                        continue;
                    }
                    if (reported.contains(last.verdict().reason()) || !intent.connect(c).allowed()
                            || !reported.add(last.verdict().reason())) {
                        continue;
                    }
                    r.report("DP003", facts.doc(), "/iptablesSave", "the policies allow " + c + " but on "
                            + facts.name() + " " + last.verdict().reason() + " "
                            + last.verdict().outcome().name().toLowerCase(Locale.ROOT) + "s it; add a rule that "
                            + "accepts pod traffic before it (e.g. -A FORWARD -i " + bridgeOf(actual, facts)
                            + " -j ACCEPT and -A FORWARD -o " + bridgeOf(actual, facts) + " -j ACCEPT)");
                }
            }
        }
    }

    private static String bridgeOf(DataPlaneSimulator sim, NodeFacts facts) {
        return sim.nodes().stream().filter(n -> n.name().equals(facts.name())).flatMap(n -> n.network().links()
                .stream()).filter(l -> l.master() != null).map(NodeNetwork.Link::master).findFirst()
                .orElse(DataPlaneSimulator.BRIDGE);
    }
}
