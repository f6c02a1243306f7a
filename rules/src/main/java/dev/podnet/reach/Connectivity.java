package dev.podnet.reach;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.podnet.inventory.Entities.ContainerPort;
import dev.podnet.inventory.Entities.PodInfo;
import dev.podnet.inventory.Entities.ServiceInfo;
import dev.podnet.inventory.Entities.ServicePort;
import dev.podnet.inventory.LabelSelectors;
import dev.podnet.reach.CompiledPolicy.Peer;
import dev.podnet.reach.CompiledPolicy.Rule;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Connections between named things rather than single endpoints, as written in {@code podnet explain} and in
 * {@code ConnectivityExpectations} documents. A target is:
 * <ul>
 *   <li>{@code ns/name}: a Pod, or a workload (Deployment, ...) pod template of that name;</li>
 *   <li>{@code svc:ns/name}: a Service, i.e. its backend pods (selector in its namespace); the probe port is the
 *       Service port and is translated to each backend's targetPort (numeric, or a container port name resolved
 *       with the protocol), because policies see the pod port after DNAT (kubernetes.io Network Policies);</li>
 *   <li>an IP address: the pod that has it, else a non-pod address (a node's when a Node lists it);</li>
 *   <li>a CIDR: every pod whose IP is inside, plus one non-pod address per region that the ipBlocks of the
 *       policies cut the CIDR into (the first address of the CIDR and each ipBlock/except boundary inside it),
 *       which covers every verdict an address outside the pods can get;</li>
 *   <li>a selector object {@code {namespace, podSelector}}: the matching pods (every namespace / every pod when
 *       a key is absent).</li>
 * </ul>
 * A target pair's verdict is {@code allow} when every (source, destination) pair is allowed, {@code deny} when
 * none is, and {@code partial} otherwise; pairs of a pod with itself are skipped unless they are the only pair.
 */
public final class Connectivity {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final ReachabilityEngine engine;
    /** Backends per Service (by identity): the pods do not change during the engine's life. */
    private final Map<ServiceInfo, List<Endpoint>> backendCache = new java.util.IdentityHashMap<>();

    /** Connectivity over an engine's inventory and policies. */
    public Connectivity(ReachabilityEngine engine) {
        this.engine = engine;
    }

    /** A resolved target. */
    public record Target(String label, List<Endpoint> endpoints, ServiceInfo service) {
    }

    /** A resolution failure, with a one-line reason. */
    public static final class UnknownTargetException extends Exception {
        UnknownTargetException(String message) {
            super(message);
        }
    }

    /** One evaluated (source, destination) pair: the explanation, or why it could not be evaluated. */
    public record Pair(Explanation explanation, String problem) {
        /** True when the connection is allowed. */
        public boolean allowed() {
            return explanation != null && explanation.allowed();
        }
    }

    /**
     * The result for two targets.
     *
     * @param verdict {@code allow}, {@code deny} or {@code partial}
     * @param pairs   every evaluated pair
     */
    public record Outcome(String verdict, List<Pair> pairs) {
        /** The pairs with the given verdict. */
        public List<Pair> withVerdict(boolean allowed) {
            return pairs.stream().filter(p -> p.allowed() == allowed).toList();
        }
    }

    /** Resolves a target written as text (see the class comment). */
    public Target resolve(String text) throws UnknownTargetException {
        String t = text.trim();
        if (t.startsWith("svc:")) {
            String key = t.substring(4);
            for (ServiceInfo s : engine.inventory().services()) {
                if ((s.namespace() + "/" + s.name()).equals(key)) {
                    return new Target(t, backends(s), s);
                }
            }
            throw new UnknownTargetException("no Service " + key + " in the inputs");
        }
        IPAddressString s = new IPAddressString(t);
        IPAddress a = s.getAddress();
        if (a == null) {
            if (t.indexOf('/') > 0 && t.indexOf('/') == t.lastIndexOf('/')) {
                Endpoint.Pod p = engine.pod(t);
                if (p == null) {
                    throw new UnknownTargetException("no pod or workload " + t + " in the inputs");
                }
                return new Target(t, List.of(p), null);
            }
            throw new UnknownTargetException("'" + t + "' is not ns/pod, svc:ns/name, an IP address or a CIDR");
        }
        if (!s.isPrefixed() || a.getNetworkPrefixLength() == a.getBitCount()) {
            // A Service ClusterIP is translated to the Service's backends, as kube-proxy's DNAT does before any
            // policy sees the packet (so "svc:ns/name" and its ClusterIP give the same verdict).
            IPAddress host = a.withoutPrefixLength();
            for (ServiceInfo svc : engine.inventory().services()) {
                for (String ip : svc.clusterIPs()) {
                    IPAddress vip = new IPAddressString(ip).getAddress();
                    if (vip != null && vip.equals(host)) {
                        return new Target(t, backends(svc), svc);
                    }
                }
            }
            return new Target(t, List.of(engine.endpointForIp(host)), null);
        }
        return new Target(t, cidr(a.toPrefixBlock()), null);
    }

    /** Resolves a target from a document value: a string, or a {@code {namespace, podSelector}} object. */
    public Target resolve(JsonNode node) throws UnknownTargetException {
        if (node.isTextual()) {
            return resolve(node.asText());
        }
        if (!node.isObject()) {
            throw new UnknownTargetException("a target is a string or a {namespace, podSelector} object");
        }
        String ns = node.path("namespace").asText(null);
        LabelSelector sel = null;
        if (node.has("podSelector")) {
            try {
                sel = MAPPER.treeToValue(node.get("podSelector"), LabelSelector.class);
            } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
                throw new UnknownTargetException("podSelector is not a label selector");
            }
        }
        List<Endpoint> out = new ArrayList<>();
        for (Endpoint.Pod p : engine.pods()) {
            if ((ns == null || ns.equals(p.pod().namespace())) && LabelSelectors.matches(sel, p.pod().labels())) {
                out.add(p);
            }
        }
        String label = (ns == null ? "*" : ns) + "/{" + (sel == null ? "" : selectorText(sel)) + "}";
        if (out.isEmpty()) {
            throw new UnknownTargetException("the selector " + label + " matches no pod in the inputs");
        }
        return new Target(label, out, null);
    }

    private static String selectorText(LabelSelector s) {
        List<String> parts = new ArrayList<>();
        if (s.getMatchLabels() != null) {
            s.getMatchLabels().forEach((k, v) -> parts.add(k + "=" + v));
        }
        if (s.getMatchExpressions() != null) {
            s.getMatchExpressions().forEach(e -> parts.add(e.getKey() + " " + e.getOperator()
                    + (e.getValues() == null ? "" : " " + e.getValues())));
        }
        return String.join(",", parts);
    }

    /** The backend pods of a Service: pods of its namespace matched by its (non-empty) selector. */
    public List<Endpoint> backends(ServiceInfo s) {
        return backendCache.computeIfAbsent(s, this::findBackends);
    }

    private List<Endpoint> findBackends(ServiceInfo s) {
        List<Endpoint> out = new ArrayList<>();
        if (s.selector().isEmpty()) {
            return List.of();
        }
        // Pods of one equivalence class share their labels: match each class of the namespace once, and only the
        // classes that carry one of the selector's labels (an index, so Services times classes is not scanned).
        for (int c : engine.candidateClasses(s.namespace(), s.selector())) {
            if (LabelSelectors.matchesAll(s.selector(), engine.representative(c).pod().labels())) {
                out.addAll(engine.members(c));
            }
        }
        out.sort(java.util.Comparator.comparingInt(p -> engine.indexOf((Endpoint.Pod) p)));
        return List.copyOf(out);
    }

    private List<Endpoint> cidr(IPAddress block) {
        List<Endpoint> out = new ArrayList<>();
        for (Endpoint.Pod p : engine.pods()) {
            if (p.ips().stream().anyMatch(ip -> ip.getIPVersion() == block.getIPVersion() && block.contains(ip))) {
                out.add(p);
            }
        }
        Set<IPAddress> reps = new LinkedHashSet<>();
        reps.add(block.getLower().withoutPrefixLength());
        for (CompiledPolicy cp : engine.evaluator().policies()) {
            for (Direction d : Direction.values()) {
                for (Rule r : cp.rules(d)) {
                    if (r.peers() == null) {
                        continue;
                    }
                    for (Peer peer : r.peers()) {
                        if (peer.ipBlock() == null || peer.ipBlock().cidr() == null) {
                            continue;
                        }
                        List<IPAddress> bounds = new ArrayList<>(peer.ipBlock().except());
                        bounds.add(peer.ipBlock().cidr());
                        for (IPAddress b : bounds) {
                            if (b.getIPVersion() != block.getIPVersion()) {
                                continue;
                            }
                            IPAddress lo = b.getLower().withoutPrefixLength();
                            IPAddress after = b.getUpper().withoutPrefixLength().increment(1);
                            if (block.contains(lo)) {
                                reps.add(lo);
                            }
                            if (after != null && block.contains(after)) {
                                reps.add(after);
                            }
                        }
                    }
                }
            }
        }
        for (IPAddress a : reps) {
            Endpoint e = engine.endpointForIp(a);
            out.add(e instanceof Endpoint.Pod ? new Endpoint.Ip(a, "") : e);
        }
        return out;
    }

    /**
     * Evaluates every (source, destination) pair of two targets on a probe; for a Service destination the probe
     * port is the Service port (see the class comment).
     *
     * @throws UnknownTargetException when a Service destination has no such port, or a target is empty
     */
    public Outcome evaluate(Target from, Target to, Probe probe) throws UnknownTargetException {
        if (from.endpoints().isEmpty()) {
            throw new UnknownTargetException(from.label() + " has no pods");
        }
        if (to.endpoints().isEmpty()) {
            throw new UnknownTargetException(to.label() + " has no " + (to.service() != null ? "backend pods" : "pods"));
        }
        ServicePort sp = null;
        if (to.service() != null) {
            for (ServicePort p : to.service().ports()) {
                if (p.port() == probe.port() && p.protocol().equals(probe.protocol())) {
                    sp = p;
                }
            }
            if (sp == null) {
                throw new UnknownTargetException("Service " + to.label().substring(4) + " has no port " + probe);
            }
        }
        List<Pair> pairs = new ArrayList<>();
        for (Endpoint a : from.endpoints()) {
            for (Endpoint b : to.endpoints()) {
                boolean self = a.equals(b);
                if (self && (from.endpoints().size() > 1 || to.endpoints().size() > 1)) {
                    continue;
                }
                Probe pr = probe;
                if (sp != null) {
                    Integer target = targetPort(sp, (Endpoint.Pod) b);
                    if (target == null) {
                        pairs.add(new Pair(null, "backend " + b.label() + " declares no container port named '"
                                + sp.targetPort() + "' (" + sp.protocol() + ")"));
                        continue;
                    }
                    pr = new Probe(target, probe.protocol());
                }
                pairs.add(new Pair(engine.evaluator().evaluate(a, b, pr), null));
            }
        }
        long allowed = pairs.stream().filter(Pair::allowed).count();
        String verdict = allowed == pairs.size() ? "allow" : allowed == 0 ? "deny" : "partial";
        return new Outcome(verdict, pairs);
    }

    /** The pod port a Service port sends to on a backend, or null when a named targetPort is not declared. */
    public static Integer targetPort(ServicePort sp, Endpoint.Pod backend) {
        String t = sp.targetPort();
        if (!t.isEmpty() && t.chars().allMatch(Character::isDigit) && t.length() < 6) {
            int v = Integer.parseInt(t);
            return v >= 1 && v <= 65535 ? v : null;
        }
        PodInfo p = backend.pod();
        for (ContainerPort cp : p.ports()) {
            if (cp.name().equals(t) && cp.protocol().equals(sp.protocol())) {
                return cp.port();
            }
        }
        return null;
    }
}
