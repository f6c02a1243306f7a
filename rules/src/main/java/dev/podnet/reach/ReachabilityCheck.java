package dev.podnet.reach;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podnet.diag.Diagnostic;
import dev.podnet.inventory.Entities.ContainerPort;
import dev.podnet.inventory.Entities.PodInfo;
import dev.podnet.inventory.Entities.ServiceInfo;
import dev.podnet.inventory.Entities.ServicePort;
import dev.podnet.inventory.Inventory;
import dev.podnet.inventory.InventoryBuilder;
import dev.podnet.inventory.InventoryCheck;
import dev.podnet.inventory.SourceRef;
import dev.podnet.lint.DocKind;
import dev.podnet.lint.DocumentSchema;
import dev.podnet.lint.Reporter;
import dev.podnet.lint.SourceFile;
import dev.podnet.lint.Workspace;
import dev.podnet.source.SourceDoc;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The reachability family (RCH): findings computed from the simulated truth table of the inputs' pods,
 * namespaces, Services and NetworkPolicies (semantics: {@link Evaluator}; documentation:
 * {@code podnet/rules/reachability.yaml}).
 * <ul>
 *   <li>RCH001: a pod isolated for ingress, with declared ports, that no other pod can reach on any of them (and
 *       that no ipBlock or open rule exposes to outside addresses, and that is not a backend already reported by
 *       RCH002); reported at the first policy isolating it for ingress, with the pods as related locations.</li>
 *   <li>RCH002: a Service whose backend pods are isolated for ingress and that no other pod can reach on the
 *       targetPort of a Service port; reported at the backends' first ingress-isolating policy.</li>
 *   <li>RCH003: pods isolated for egress that cannot reach the cluster DNS (the Service named by
 *       {@code podnet.yaml} {@code cluster.dns}, default kube-system/kube-dns; without it in the inputs, pods
 *       labelled {@code k8s-app: kube-dns} in that namespace declaring {@code dns} 53/UDP and {@code dns-tcp}
 *       53/TCP, as kubeadm's CoreDNS does) on UDP 53 and TCP 53; reported at the first isolating policy.</li>
 *   <li>RCH004: a failed connectivity expectation, at the expectation.</li>
 *   <li>RCH005: a ConnectivityExpectations document that violates its JSON Schema (every schema error of the
 *       document, each at its own position, unknown keys with a did-you-mean; see {@link DocumentSchema}), or an
 *       expectation naming a target that is not in the inputs. The expectations without such an error are still
 *       evaluated.</li>
 * </ul>
 * RCH001-003 are skipped when the project file says nothing enforces NetworkPolicy.
 *
 * <p>Each run leaves the set of unreachable pods in the workspace ({@link #unreachable(Workspace)}): the editor
 * counts them per policy without a second analysis.
 */
public final class ReachabilityCheck implements InventoryCheck {
    /** The apiVersion of podnet's own documents. */
    public static final String API_VERSION = "podnet.dev/v1alpha1";
    /** The kind of expectation documents. */
    public static final String EXPECTATIONS_KIND = "ConnectivityExpectations";
    private static final int MAX_NAMES = 5;
    /** The JSON Schema of expectations files (loaded on first use: runs without such documents never build the validator). */
    private static final class Schema {
        static final DocumentSchema SCHEMA = DocumentSchema.load("schemas/connectivity-expectations.schema.json");
    }
    /** The pointer of one expectation, and of anything inside it. */
    private static final java.util.regex.Pattern EXPECTATION_POINTER =
            java.util.regex.Pattern.compile("/expectations/([0-9]+)(/|$)");

    /** Where a run leaves its {@link Unreachable} result in the workspace. */
    public static final Workspace.Key<Unreachable> UNREACHABLE = new Workspace.Key<>("unreachable pods");

    /**
     * The pods and workload templates the reachability analysis finds unreachable, with RCH001's notion: the pod
     * is isolated for ingress, declares ports, no other pod of the inputs can reach it on any of them (the
     * policies on both sides allow it), no ipBlock or peer-less ingress rule exposes one of them, and at least
     * one policy isolating it for ingress is to blame (not only the clients' egress). This includes Service
     * backends that RCH002 reports instead of RCH001. Empty when nothing enforces NetworkPolicy, when there are
     * no policies or no declared ports.
     *
     * @param pods keys of the unreachable pods, see {@link #key(PodInfo)}
     */
    public record Unreachable(Set<String> pods) {
        /** Nothing unreachable. */
        public static final Unreachable NONE = new Unreachable(Set.of());

        public Unreachable {
            pods = Set.copyOf(pods);
        }

        /** The key of a pod or workload template: {@code Kind namespace/name}. */
        public static String key(PodInfo p) {
            return p.kind() + " " + p.key();
        }

        /** True when the pod (or workload template) is unreachable. */
        public boolean contains(PodInfo p) {
            return pods.contains(key(p));
        }
    }

    /**
     * The unreachable pods the last run of this check over {@code ws} computed; empty when the check did not run
     * on this workspace (or was cancelled before it finished).
     */
    public static java.util.Optional<Unreachable> unreachable(Workspace ws) {
        return ws.cached(UNREACHABLE);
    }

    /** {@inheritDoc} Here: the reachability engine over every pod class and policy. */
    @Override
    public int relativeCost() {
        return 4;
    }

    @Override
    public void run(Workspace ws, Reporter out) {
        List<SourceDoc> expectationDocs = ws.docs(DocKind.MANIFEST).map(SourceFile.Doc::doc)
                .filter(d -> d.root().path("apiVersion").asText("").equals(API_VERSION)
                        && d.root().path("kind").asText("").equals(EXPECTATIONS_KIND)).toList();
        Inventory inv = InventoryBuilder.of(ws);
        if (inv.policies().isEmpty() && expectationDocs.isEmpty()) {
            ws.put(UNREACHABLE, Unreachable.NONE);
            return;
        }
        ReachabilityEngine engine = new ReachabilityEngine(inv);
        Connectivity conn = new Connectivity(engine);
        if (!inv.facts().noEnforcement() && !inv.policies().isEmpty()) {
            ws.put(UNREACHABLE, unreachablePodsAndServices(engine, conn, out));
            out.checkCanceled();
            dns(engine, conn, out);
        } else {
            ws.put(UNREACHABLE, Unreachable.NONE);
        }
        for (SourceDoc d : expectationDocs) {
            out.checkCanceled();
            expectations(conn, d, out);
        }
    }

    // ---- RCH001 / RCH002 ------------------------------------------------------------------------------------

    /** Reports RCH001 and RCH002; returns every pod RCH001's notion finds unreachable ({@link Unreachable}). */
    private static Unreachable unreachablePodsAndServices(ReachabilityEngine engine, Connectivity conn,
                                                          Reporter out) {
        Set<Probe> probeSet = new TreeSet<>(engine.declaredProbes(Integer.MAX_VALUE));
        for (ServiceInfo s : engine.inventory().services()) {
            for (ServicePort sp : s.ports()) {
                for (Endpoint b : conn.backends(s)) {
                    Integer t = Connectivity.targetPort(sp, (Endpoint.Pod) b);
                    if (t != null && Probe.PROTOCOLS.contains(sp.protocol())) {
                        probeSet.add(new Probe(t, sp.protocol()));
                    }
                }
            }
        }
        List<Probe> probes = List.copyOf(probeSet);
        if (probes.isEmpty()) {
            return Unreachable.NONE;
        }
        // One probe at a time, so a cancelled run (the language server drops stale ones) stops early.
        List<Table> tables = new ArrayList<>();
        for (Probe pr : probes) {
            out.checkCanceled();
            tables.add(engine.compute(List.of(pr)));
        }
        int n = engine.classCount();
        Set<Endpoint> reportedBackends = identitySet();
        // RCH002
        for (ServiceInfo s : engine.inventory().services()) {
            List<Endpoint> backends = conn.backends(s);
            if (backends.isEmpty() || backends.size() >= engine.pods().size()) {
                continue;
            }
            for (int i = 0; i < s.ports().size(); i++) {
                ServicePort sp = s.ports().get(i);
                boolean anyReachable = false;
                Probe firstProbe = null;
                Set<Long> seen = new java.util.HashSet<>();
                for (Endpoint b : backends) {
                    Integer target = Connectivity.targetPort(sp, (Endpoint.Pod) b);
                    if (target == null || !Probe.PROTOCOLS.contains(sp.protocol())) {
                        continue;
                    }
                    Probe pr = new Probe(target, sp.protocol());
                    firstProbe = firstProbe == null ? pr : firstProbe;
                    int bi = engine.indexOf((Endpoint.Pod) b);
                    int cls = engine.classOf(bi);
                    int p = probes.indexOf(pr);
                    if (!seen.add(((long) p << 32) | cls)) {
                        continue; // same class and probe as an earlier backend: same verdicts
                    }
                    if (!anyReachable && reachable(engine, tables, List.of(p), cls)) {
                        anyReachable = true;
                    }
                }
                if (anyReachable || firstProbe == null) {
                    continue;
                }
                Endpoint.Pod backend = (Endpoint.Pod) backends.get(0);
                Endpoint.Pod client = firstClient(engine, backends);
                if (client == null) {
                    continue;
                }
                Probe pr = new Probe(Connectivity.targetPort(sp, backend) == null ? firstProbe.port()
                        : Connectivity.targetPort(sp, backend), sp.protocol());
                Explanation why = engine.evaluator().evaluate(client, backend, pr);
                String svc = s.namespace() + "/" + s.name();
                String msg = "no pod can reach the backends of Service " + svc + " (" + names(backends.stream()
                        .map(e -> (Endpoint.Pod) e).toList()) + ") on port " + sp.port() + " -> targetPort "
                        + pr + "; policies apply to the pod port after the Service translates it; allow " + pr
                        + " to the backends (e.g. " + why.summary() + ")";
                List<Diagnostic.Related> rel = new ArrayList<>();
                rel.add(new Diagnostic.Related(s.source().file(), s.source().range("/spec/ports/" + i),
                        "Service " + svc + " port " + sp.port()));
                rel.addAll(related(backends.stream().map(e -> (Endpoint.Pod) e).toList()));
                if (why.ingress().isolating().isEmpty()) {
                    continue; // blocked only by the clients' egress policies (see RCH003 for DNS)
                }
                CompiledPolicy p = why.ingress().isolating().get(0);
                backends.forEach(b -> reportedBackends.add(b));
                report(out, "RCH002", p.info().source(), p.info().policy().getSpec() != null
                        && p.info().policy().getSpec().getIngress() != null ? "/spec/ingress"
                        : "/spec/podSelector", msg, rel);
            }
        }
        // RCH001, one finding per class of pods (none for classes of backends RCH002 reported).
        Set<String> unreachable = new java.util.HashSet<>();
        for (int d = 0; d < n; d++) {
            Endpoint.Pod rep = engine.representative(d);
            List<Integer> own = new ArrayList<>();
            for (ContainerPort cp : rep.pod().ports()) {
                Probe declared = probeOf(cp);
                int idx = declared == null ? -1 : probes.indexOf(declared);
                if (idx >= 0 && !own.contains(idx)) {
                    own.add(idx);
                }
            }
            if (own.isEmpty() || engine.pods().size() < 2 || reachable(engine, tables, own, d)
                    || exposedOutside(engine, rep, own.stream().map(probes::get).toList())) {
                continue;
            }
            List<Endpoint.Pod> members = members(engine, d);
            Endpoint.Pod other = firstOther(engine, rep);
            Explanation why = engine.evaluator().evaluate(other, rep, probes.get(own.get(0)));
            String ports = own.stream().map(i -> probes.get(i).toString()).collect(Collectors.joining(", "));
            String who = names(members);
            if (why.ingress().isolating().isEmpty()) {
                continue; // only the sources' egress policies block it: a deliberate egress lockdown, or RCH003
            }
            members.forEach(m -> unreachable.add(Unreachable.key(m.pod())));
            if (members.stream().allMatch(reportedBackends::contains)) {
                continue;
            }
            CompiledPolicy p = why.ingress().isolating().get(0);
            report(out, "RCH001", p.info().source(), p.info().policy().getSpec() != null
                    && p.info().policy().getSpec().getIngress() != null ? "/spec/ingress" : "/spec/podSelector",
                    "no other pod can reach " + who + " on any declared port (" + ports + "): " + p.key()
                            + " isolates it for ingress and no other pod is admitted by its rules and allowed by "
                            + "its own egress; add a rule for its clients, or drop ports it does not serve (e.g. "
                            + why.summary() + ")", related(members));
        }
        return new Unreachable(unreachable);
    }

    private static Probe probeOf(ContainerPort cp) {
        if (cp.port() < 1 || cp.port() > 65535 || !Probe.PROTOCOLS.contains(cp.protocol())) {
            return null;
        }
        return new Probe(cp.port(), cp.protocol());
    }

    private static boolean reachable(ReachabilityEngine e, List<Table> tables, List<Integer> probes, int d) {
        int n = e.classCount();
        for (int p : probes) {
            Table t = tables.get(p);
            // Isolated for ingress: only the admitted source classes can reach it; else any class may.
            java.util.BitSet admitted = t.admittedSources(0, d);
            for (int s = admitted == null ? 0 : admitted.nextSetBit(0); s >= 0 && s < n;
                 s = admitted == null ? s + 1 : admitted.nextSetBit(s + 1)) {
                if (t.classAllowed(0, s, d) && (s != d || e.classSize(d) > 1)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** True when an ingress rule of a policy isolating the pod admits an ipBlock or every peer on one of its ports. */
    private static boolean exposedOutside(ReachabilityEngine engine, Endpoint.Pod pod, List<Probe> probes) {
        for (CompiledPolicy cp : engine.evaluator().policies()) {
            if (!cp.ingress() || !cp.selects(pod.pod().namespace(), pod.pod().labels())) {
                continue;
            }
            for (CompiledPolicy.Rule r : cp.ingressRules()) {
                boolean outside = r.peers() == null || r.peers().stream().anyMatch(p -> p.ipBlock() != null);
                if (outside && probes.stream().anyMatch(pr -> r.portMatches(pr, pod.pod().ports()))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static List<Endpoint.Pod> members(ReachabilityEngine engine, int c) {
        return engine.members(c);
    }

    private static <T> Set<T> identitySet() {
        return java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    }

    private static Endpoint.Pod firstOther(ReachabilityEngine engine, Endpoint.Pod p) {
        for (Endpoint.Pod q : engine.pods()) {
            if (q != p) {
                return q;
            }
        }
        return p;
    }

    private static Endpoint.Pod firstClient(ReachabilityEngine engine, List<Endpoint> backends) {
        Set<Endpoint> set = identitySet();
        set.addAll(backends);
        for (Endpoint.Pod q : engine.pods()) {
            if (!set.contains(q)) {
                return q;
            }
        }
        return null;
    }

    // ---- RCH003 ---------------------------------------------------------------------------------------------

    private static void dns(ReachabilityEngine engine, Connectivity conn, Reporter out) {
        Inventory inv = engine.inventory();
        String dnsNs = inv.facts().dnsNamespace();
        String dnsName = dnsNs + "/" + inv.facts().dnsService();
        List<Endpoint> backends = new ArrayList<>();
        List<ServicePort> dnsPorts = null;
        for (ServiceInfo s : inv.services()) {
            if ((s.namespace() + "/" + s.name()).equals(dnsName)) {
                backends.addAll(conn.backends(s));
                dnsPorts = s.ports();
            }
        }
        boolean assumed = backends.isEmpty();
        if (assumed) {
            for (Endpoint.Pod p : engine.pods()) {
                if (p.pod().namespace().equals(dnsNs) && "kube-dns".equals(p.pod().labels().get("k8s-app"))) {
                    backends.add(p);
                }
            }
        }
        if (backends.isEmpty()) {
            PodInfo synthetic = new PodInfo(dnsNs, "coredns (assumed)", "Pod", Map.of("k8s-app", "kube-dns"),
                    List.of(), List.of(new ContainerPort("dns", 53, "UDP"), new ContainerPort("dns-tcp", 53, "TCP")),
                    "", false, null, "/metadata/labels");
            backends.add(Endpoint.Pod.of(synthetic, engine.nsLabels(dnsNs)));
        }
        Probe udp = new Probe(53, "UDP");
        Probe tcp = new Probe(53, "TCP");
        // group blocked pods by the first policy isolating them for egress
        Map<CompiledPolicy, List<Endpoint.Pod>> udpBlocked = new LinkedHashMap<>();
        Map<CompiledPolicy, List<Endpoint.Pod>> tcpOnlyBlocked = new LinkedHashMap<>();
        Map<CompiledPolicy, Explanation> example = new LinkedHashMap<>();
        // ... and pods refused by the first policy isolating the DNS pods for ingress
        Map<CompiledPolicy, List<Endpoint.Pod>> udpRefused = new LinkedHashMap<>();
        Map<CompiledPolicy, List<Endpoint.Pod>> tcpOnlyRefused = new LinkedHashMap<>();
        List<ServicePort> servicePorts = dnsPorts;
        Set<Endpoint> backendSet = identitySet();
        backendSet.addAll(backends);
        // Pods of one equivalence class get the same verdicts and the same isolating policies towards any
        // destination (the class fixes namespace, labels, ports and the ipBlocks containing the pod's IPs), so each
        // class is evaluated once, with its first pod in table order (the one whose explanation is quoted).
        record DnsVerdict(Explanation udpExample, Explanation tcpExample, boolean udp, boolean tcp) {
        }
        Map<Integer, DnsVerdict> byClass = new java.util.HashMap<>();
        for (int i = 0; i < engine.pods().size(); i++) {
            Endpoint.Pod p = engine.pods().get(i);
            if (backendSet.contains(p)) {
                continue;
            }
            DnsVerdict v = byClass.computeIfAbsent(engine.classOf(i), c -> {
                Explanation eu = null;
                Explanation et = null;
                boolean u = false;
                boolean tc = false;
                for (Endpoint b : backends) {
                    Explanation x = engine.evaluator().evaluate(p, b, dnsProbe(udp, servicePorts, (Endpoint.Pod) b));
                    eu = eu == null ? x : eu;
                    u |= x.allowed();
                    Explanation y = engine.evaluator().evaluate(p, b, dnsProbe(tcp, servicePorts, (Endpoint.Pod) b));
                    et = et == null ? y : et;
                    tc |= y.allowed();
                }
                return new DnsVerdict(eu, et, u, tc);
            });
            boolean u = v.udp();
            boolean tc = v.tcp();
            Explanation blocked = u ? v.tcpExample() : v.udpExample();
            if (blocked == null || (u && tc)) {
                continue;
            }
            if (!blocked.egress().allowed()) {
                CompiledPolicy first = blocked.egress().isolating().get(0);
                (u ? tcpOnlyBlocked : udpBlocked).computeIfAbsent(first, k -> new ArrayList<>()).add(p);
                example.putIfAbsent(first, blocked);
            } else if (!blocked.ingress().allowed()) {
                // The pod's own egress lets DNS out: the DNS pods' ingress isolation refuses it.
                CompiledPolicy first = blocked.ingress().isolating().get(0);
                (u ? tcpOnlyRefused : udpRefused).computeIfAbsent(first, k -> new ArrayList<>()).add(p);
                example.putIfAbsent(first, blocked);
            }
        }
        String target = assumed && backends.size() == 1 && backends.get(0) instanceof Endpoint.Pod bp
                && bp.pod().source() == null ? dnsName + " (assumed: pods labelled k8s-app=kube-dns in " + dnsNs + ")"
                : dnsName;
        String fix = "add an egress rule to namespaceSelector kubernetes.io/metadata.name=" + dnsNs
                + " AND podSelector k8s-app=kube-dns (one peer) on UDP 53 and TCP 53";
        udpBlocked.forEach((policy, pods) -> report(out, "RCH003", policy.info().source(), policyTypesPointer(policy),
                names(pods) + " " + (pods.size() == 1 ? "is" : "are") + " isolated for egress (" + policy.key()
                        + ") and cannot reach the cluster DNS " + target + " on UDP 53"
                        + " (name lookups time out): " + fix + " (" + example.get(policy).summary() + ")",
                related(pods)));
        tcpOnlyBlocked.forEach((policy, pods) -> report(out, "RCH003", policy.info().source(),
                policyTypesPointer(policy), names(pods) + " " + (pods.size() == 1 ? "is" : "are")
                        + " isolated for egress (" + policy.key() + ") and can reach the cluster DNS " + target
                        + " on UDP 53 but not TCP 53 (large responses fall back to TCP and fail): " + fix,
                related(pods)));
        udpRefused.forEach((policy, pods) -> refused(out, policy, pods, target, "UDP 53 (name lookups time out)",
                example.get(policy)));
        tcpOnlyRefused.forEach((policy, pods) -> refused(out, policy, pods, target,
                "TCP 53, only UDP (large responses fall back to TCP and fail)", example.get(policy)));
    }

    /** RCH003 blamed on the DNS pods' ingress isolation, reported at the isolating policy's ingress. */
    private static void refused(Reporter out, CompiledPolicy policy, List<Endpoint.Pod> pods, String target,
                                String what, Explanation why) {
        var spec = policy.info().policy().getSpec();
        report(out, "RCH003", policy.info().source(), spec != null && spec.getIngress() != null ? "/spec/ingress"
                : "/spec/podSelector", "the cluster DNS " + target + " is isolated for ingress by " + policy.key()
                + ", which does not admit " + names(pods) + " on " + what + ": add an ingress rule to "
                + policy.key() + " from every namespace (namespaceSelector: {}) on UDP 53 and TCP 53 ("
                + why.summary() + ")", related(pods));
    }

    private static Probe dnsProbe(Probe p, List<ServicePort> dnsPorts, Endpoint.Pod backend) {
        if (dnsPorts != null) {
            for (ServicePort sp : dnsPorts) {
                if (sp.port() == 53 && sp.protocol().equals(p.protocol())) {
                    Integer t = Connectivity.targetPort(sp, backend);
                    if (t != null) {
                        return new Probe(t, p.protocol());
                    }
                }
            }
        }
        return p;
    }

    private static String policyTypesPointer(CompiledPolicy p) {
        var spec = p.info().policy().getSpec();
        if (spec != null && spec.getPolicyTypes() != null && !spec.getPolicyTypes().isEmpty()) {
            return "/spec/policyTypes";
        }
        return spec != null && spec.getEgress() != null ? "/spec/egress" : "/spec/podSelector";
    }

    // ---- RCH004 / RCH005 ------------------------------------------------------------------------------------

    /**
     * RCH005 for every schema error of the document (each at its own position), then RCH004/RCH005 for each
     * expectation that has no schema error: an invalid expectation never hides the others.
     */
    private static void expectations(Connectivity conn, SourceDoc doc, Reporter out) {
        Set<Integer> invalid = new java.util.HashSet<>();
        boolean invalidList = false;
        for (DocumentSchema.Finding f : Schema.SCHEMA.report("RCH005", doc, out)) {
            java.util.regex.Matcher m = EXPECTATION_POINTER.matcher(f.pointer());
            if (m.lookingAt()) {
                invalid.add(Integer.parseInt(m.group(1)));
            } else if (f.pointer().equals("/expectations") || f.pointer().isEmpty() && !f.onKey()) {
                invalidList = true;
            }
        }
        if (invalidList || !doc.root().path("expectations").isArray()) {
            return;
        }
        JsonNode list = doc.root().path("expectations");
        for (int i = 0; i < list.size(); i++) {
            if (invalid.contains(i)) {
                continue;
            }
            JsonNode e = list.get(i);
            String ptr = "/expectations/" + i;
            Probe probe = new Probe(e.get("port").asInt(), e.path("protocol").asText("TCP"));
            Connectivity.Target from = target(conn, doc, ptr, "from", out);
            Connectivity.Target to = target(conn, doc, ptr, "to", out);
            if (from == null || to == null) {
                continue;
            }
            Connectivity.Outcome o;
            try {
                o = conn.evaluate(from, to, probe);
            } catch (Connectivity.UnknownTargetException ex) {
                out.report("RCH005", doc, ptr + "/to", "to: " + ex.getMessage() + "; fix the expectation's target "
                        + "or port");
                continue;
            }
            String expect = e.get("expect").asText();
            boolean ok = expect.equals(o.verdict());
            if (!ok) {
                boolean wantAllow = expect.equals("allow");
                List<Connectivity.Pair> bad = o.withVerdict(!wantAllow);
                Connectivity.Pair first = bad.get(0);
                String why = first.explanation() == null ? first.problem()
                        : String.join("; ", first.explanation().lines().stream().map(String::strip).toList());
                List<Diagnostic.Related> rel = new ArrayList<>();
                if (first.explanation() != null) {
                    for (CompiledPolicy.Rule r : first.explanation().allowingRules()) {
                        if (r.range() != null) {
                            rel.add(new Diagnostic.Related(r.policy().source().file(), r.range(),
                                    "allowed by " + r.label()));
                        }
                    }
                    for (Explanation.Side side : List.of(first.explanation().egress(),
                            first.explanation().ingress())) {
                        if (side.allowedBy() == null) {
                            for (CompiledPolicy p : side.isolating()) {
                                if (p.info().source() != null) {
                                    rel.add(new Diagnostic.Related(p.info().source().file(),
                                            p.info().source().range(""), "isolates for " + side.direction().field()
                                            + ": " + p.key()));
                                }
                            }
                        }
                    }
                }
                out.report("RCH004", doc, ptr, "expected " + expect + " " + from.label() + " -> " + to.label()
                        + " " + probe + ", but the policies " + (o.verdict().equals("partial") ? "allow only "
                        + o.withVerdict(true).size() + " of " + o.pairs().size() + " pairs" : o.verdict() + " it")
                        + ": " + why, rel);
            }
        }
    }

    /** Resolves {@code from} or {@code to} of an expectation; reports RCH005 and returns null when unknown. */
    private static Connectivity.Target target(Connectivity conn, SourceDoc doc, String ptr, String field,
                                              Reporter out) {
        try {
            return conn.resolve(doc.root().at(ptr).get(field));
        } catch (Connectivity.UnknownTargetException ex) {
            out.report("RCH005", doc, ptr + "/" + field, field + ": " + ex.getMessage()
                    + "; name a pod (ns/name), svc:ns/name, an IP/CIDR or a selector that exists in the inputs");
            return null;
        }
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    private static void report(Reporter out, String rule, SourceRef ref, String rel, String msg,
                               List<Diagnostic.Related> related) {
        if (ref == null) {
            return;
        }
        out.reportKey(rule, ref.doc(), ref.ptr(rel), msg, related);
    }

    private static String names(List<Endpoint.Pod> pods) {
        String s = pods.stream().limit(MAX_NAMES).map(Endpoint::label).collect(Collectors.joining(", "));
        return (pods.size() == 1 ? "pod " : "pods ") + s + (pods.size() > MAX_NAMES ? " and "
                + (pods.size() - MAX_NAMES) + " more" : "");
    }

    private static List<Diagnostic.Related> related(List<Endpoint.Pod> pods) {
        List<Diagnostic.Related> out = new ArrayList<>();
        for (Endpoint.Pod p : pods.stream().limit(20).toList()) {
            SourceRef s = p.pod().source();
            if (s != null) {
                out.add(new Diagnostic.Related(s.file(), s.keyRange("/metadata/name"), p.pod().kind() + " "
                        + p.label()));
            }
        }
        return out;
    }
}
