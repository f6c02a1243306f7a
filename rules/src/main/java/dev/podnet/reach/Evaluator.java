package dev.podnet.reach;

import dev.podnet.config.ClusterFacts;
import dev.podnet.inventory.Entities.ContainerPort;
import dev.podnet.inventory.Entities.PodInfo;
import dev.podnet.inventory.LabelSelectors;
import dev.podnet.reach.CompiledPolicy.Peer;
import dev.podnet.reach.CompiledPolicy.Rule;
import dev.podnet.reach.Explanation.Shortcut;
import dev.podnet.reach.Explanation.Side;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Evaluates one connection at a time, with its {@link Explanation}: the NetworkPolicy v1 contract (kubernetes.io
 * "Network Policies"; networking/v1 {@code types.go}). A connection is allowed when the source's egress and the
 * destination's ingress both allow it; a side is allowed when no policy with that direction selects the pod
 * (non-isolated), or when at least one rule of one of those policies matches the peer and the port (union of
 * rules, no deny rules, order irrelevant). A pod reaching its own IP, and traffic between a pod and its own node,
 * are always allowed; with {@link ClusterFacts#noEnforcement()} everything is allowed. Used for explanations,
 * Services, IP endpoints and expectations; whole tables come from {@link ReachabilityEngine}.
 */
public final class Evaluator {
    private final List<CompiledPolicy> policies;
    /** The policies of each namespace, in input order (a policy selects pods of its own namespace only). */
    private final Map<String, List<CompiledPolicy>> byNamespace = new HashMap<>();
    private final ClusterFacts facts;

    /** An evaluator over compiled policies. */
    public Evaluator(List<CompiledPolicy> policies, ClusterFacts facts) {
        this.policies = List.copyOf(policies);
        this.facts = facts;
        for (CompiledPolicy cp : this.policies) {
            byNamespace.computeIfAbsent(cp.info().namespace(), k -> new ArrayList<>()).add(cp);
        }
    }

    /** The compiled policies, in input order. */
    public List<CompiledPolicy> policies() {
        return policies;
    }

    /** The cluster facts in force. */
    public ClusterFacts facts() {
        return facts;
    }

    /** Evaluates one connection from {@code from} to {@code to} on {@code probe}. Never throws. */
    public Explanation evaluate(Endpoint from, Endpoint to, Probe probe) {
        if (from instanceof Endpoint.Pod a && to instanceof Endpoint.Pod b && a.pod() == b.pod()) {
            return shortcut(from, to, probe, Shortcut.SELF);
        }
        if (facts.noEnforcement()) {
            return shortcut(from, to, probe, Shortcut.NO_ENFORCEMENT);
        }
        if (from instanceof Endpoint.Ip ip && to instanceof Endpoint.Pod p && onNode(ip, p)) {
            return shortcut(from, to, probe, Shortcut.NODE);
        }
        if (from instanceof Endpoint.Pod p && to instanceof Endpoint.Ip ip && onNode(ip, p)) {
            return shortcut(from, to, probe, Shortcut.NODE);
        }
        Side egress = from instanceof Endpoint.Pod p ? side(Direction.EGRESS, p, to, to, probe)
                : Side.notApplicable(Direction.EGRESS);
        Side ingress = to instanceof Endpoint.Pod p ? side(Direction.INGRESS, p, from, to, probe)
                : Side.notApplicable(Direction.INGRESS);
        return new Explanation(from, to, probe, egress.allowed() && ingress.allowed(), Shortcut.NONE, egress, ingress);
    }

    private static boolean onNode(Endpoint.Ip ip, Endpoint.Pod p) {
        return !ip.node().isEmpty() && ip.node().equals(p.pod().nodeName());
    }

    private static Explanation shortcut(Endpoint from, Endpoint to, Probe probe, Shortcut s) {
        return new Explanation(from, to, probe, true, s, Side.notApplicable(Direction.EGRESS),
                Side.notApplicable(Direction.INGRESS));
    }

    private Side side(Direction d, Endpoint.Pod self, Endpoint peer, Endpoint dst, Probe probe) {
        List<CompiledPolicy> isolating = new ArrayList<>();
        Rule allowedBy = null;
        List<ContainerPort> dstPorts = dst instanceof Endpoint.Pod p ? p.pod().ports() : null;
        for (CompiledPolicy cp : selecting(self.pod())) {
            if (!cp.isolates(d)) {
                continue;
            }
            isolating.add(cp);
            if (allowedBy == null) {
                for (Rule r : cp.rules(d)) {
                    if (r.portMatches(probe, dstPorts) && peerMatches(r, peer)) {
                        allowedBy = r;
                        break;
                    }
                }
            }
        }
        return new Side(d, true, List.copyOf(isolating), allowedBy);
    }

    /** The policies selecting each pod (by identity), in input order; explanations ask for the same pods often. */
    private final Map<PodInfo, List<CompiledPolicy>> selecting =
            java.util.Collections.synchronizedMap(new java.util.IdentityHashMap<>());

    /** The policies of the pod's namespace whose podSelector selects it, in input order. */
    private List<CompiledPolicy> selecting(PodInfo pod) {
        List<CompiledPolicy> known = selecting.get(pod);
        if (known != null) {
            return known;
        }
        List<CompiledPolicy> inNs = byNamespace.getOrDefault(pod.namespace(), List.of());
        PolicyIndex index = indexes.computeIfAbsent(pod.namespace(), ns -> PolicyIndex.of(inNs));
        // Only the policies whose first matchLabels pair the pod carries, and those without matchLabels, can select it.
        java.util.BitSet candidates = (java.util.BitSet) index.unindexed().clone();
        pod.labels().forEach((k, v) -> {
            java.util.BitSet withLabel = index.byLabel().get(LabelSelectors.indexKey(k, v));
            if (withLabel != null) {
                candidates.or(withLabel);
            }
        });
        List<CompiledPolicy> out = new ArrayList<>();
        for (int i = candidates.nextSetBit(0); i >= 0; i = candidates.nextSetBit(i + 1)) {
            if (inNs.get(i).selects(pod.namespace(), pod.labels())) {
                out.add(inNs.get(i));
            }
        }
        out = List.copyOf(out);
        selecting.put(pod, out);
        return out;
    }

    private final Map<String, PolicyIndex> indexes = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * The policies of one namespace (positions in their input-order list) by the first pair of their podSelector's
     * matchLabels ({@code key NUL value}), and the positions of those without matchLabels.
     */
    private record PolicyIndex(Map<String, java.util.BitSet> byLabel, java.util.BitSet unindexed) {
        static PolicyIndex of(List<CompiledPolicy> policies) {
            Map<String, java.util.BitSet> byLabel = new HashMap<>();
            java.util.BitSet unindexed = new java.util.BitSet();
            for (int i = 0; i < policies.size(); i++) {
                var sel = policies.get(i).podSelector();
                String first = LabelSelectors.firstIndexKey(sel == null ? null : sel.getMatchLabels());
                if (first == null) {
                    unindexed.set(i);
                } else {
                    byLabel.computeIfAbsent(first, k -> new java.util.BitSet()).set(i);
                }
            }
            return new PolicyIndex(byLabel, unindexed);
        }
    }

    /** True when a rule's peers match an endpoint ({@code from}/{@code to} absent or empty: every endpoint). */
    public boolean peerMatches(Rule r, Endpoint e) {
        if (r.peers() == null) {
            return true;
        }
        for (Peer peer : r.peers()) {
            if (e instanceof Endpoint.Pod p) {
                if (peer.matchesPod(p.pod().namespace(), p.nsLabels(), p.pod().labels(), p.ips(),
                        facts.ipBlockMatchesPodIPs())) {
                    return true;
                }
            } else if (e instanceof Endpoint.Ip ip && peer.matchesIp(ip.ip())) {
                return true;
            }
        }
        return false;
    }
}
