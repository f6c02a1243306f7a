package dev.podnet.inventory;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podnet.lint.DocKind;
import dev.podnet.lint.Reporter;
import dev.podnet.lint.SourceFile;
import dev.podnet.lint.Workspace;
import dev.podnet.netpol.Cidrs;
import dev.podnet.netpol.K8sNames;
import dev.podnet.netpol.LabelValidation;
import dev.podnet.source.SourceDoc;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The inventory family (rules {@code INV001}-{@code INV005}, documented in {@code podnet/rules/inventory.yaml}):
 * what the API server rejects in the objects the simulation is built from, where it matters to networking, and
 * every object the {@link InventoryBuilder} leaves out. It walks the raw document tree ({@link SourceDoc}), so a
 * mistyped manifest is still diagnosed field by field at its exact position.
 * <ul>
 *   <li>INV001: label keys and values of Pods, pod templates of workloads and Namespaces, and Service selectors
 *       (apimachinery {@code ValidateLabels}: qualified-name keys, label values; a non-string value is rejected
 *       by the JSON decoder); the checks are {@link LabelValidation}'s, shared with the NetworkPolicy rules.</li>
 *   <li>INV002: container ports of {@code containers} and {@code initContainers}
 *       ({@code pkg/apis/core/validation} {@code validateContainerPorts}): containerPort required and in
 *       1-65535, hostPort in 1-65535 when set, name an IANA_SVC_NAME ({@code IsValidPortName}) and unique in its
 *       container, protocol TCP, UDP or SCTP; and the JSON types of these fields.</li>
 *   <li>INV003: Service ports ({@code ValidateService}, {@code validateServicePort}): port in 1-65535, targetPort a
 *       port number or an IANA_SVC_NAME, protocol TCP/UDP/SCTP, a DNS-1123 label name that is required when there
 *       is more than one port and unique; ports required unless the Service is headless or ExternalName.</li>
 *   <li>INV004: {@code status.podIP} and {@code status.podIPs[].ip} that are not IP addresses, a podIP that is not
 *       podIPs[0] ({@code ValidatePodStatusUpdate} / the podIP-podIPs conversion).</li>
 *   <li>INV005 (warning): an object the inventory leaves out (a field the inventory binds, see
 *       {@link InventoryBuilder}, of a type the fabric8 model cannot bind; a workload without a pod template),
 *       reported once at the object's name with the field and the reason: it is not part of the simulation.</li>
 * </ul>
 */
public final class InventoryValidation implements InventoryCheck {
    static final Set<String> PROTOCOLS = Set.of("TCP", "UDP", "SCTP");
    /** The ids INV001 reports label problems with (every kind of label problem is one rule here). */
    static final LabelValidation.Rules LABEL_RULES = new LabelValidation.Rules("INV001", "INV001", "INV001",
            "INV001");

    /** {@inheritDoc} Here: a walk of every pod, workload and Service. */
    @Override
    public int relativeCost() {
        return 3;
    }

    @Override
    public void run(Workspace ws, Reporter r) {
        for (SourceFile f : ws.files()) {
            for (SourceFile.Doc d : f.docs()) {
                if (d.kind() != DocKind.MANIFEST) {
                    continue;
                }
                r.checkCanceled();
                // The findings depend on the document alone: the language server replays them while it is unchanged.
                ws.memo().findingsPerDoc(FINDINGS, d.doc(), r, rec -> {
                    for (SourceRef ref : InventoryBuilder.objects(d.doc())) {
                        new Walk(ref, rec).object(d.doc().at(ref.base()));
                    }
                });
            }
        }
        r.checkCanceled();
        InventoryBuilder.leftOut(ws).forEach(l -> {
            JsonNode obj = l.ref().doc().at(l.ref().base());
            String name = obj.path("metadata").path("name").asText("");
            String ns = obj.path("metadata").path("namespace").asText("");
            String who = l.kind() + " " + (l.kind().equals("Namespace") || l.kind().equals("Node") || ns.isEmpty()
                    ? "" : ns + "/") + (name.isEmpty() ? "(unnamed)" : name);
            String at = l.field().equals(l.ref().base()) ? ""
                    : " (line " + (l.ref().doc().rangeOf(l.field()).startLine() + 1) + ")";
            String where = obj.path("metadata").path("name").isTextual() ? l.ref().ptr("/metadata/name")
                    : obj.has("kind") ? l.ref().ptr("/kind") : l.ref().base();
            r.report("INV005", l.ref().doc(), where, who + " is left out of the inventory and the simulation: "
                    + l.reason() + at + "; fix that field so podnet (and the API server) can read the object");
        });
    }

    private static final Workspace.Key<dev.podnet.lint.RecordedFindings> FINDINGS =
            new Workspace.Key<>("inventory validation findings of a document");

    /** One object's walk. */
    private static final class Walk {
        private final SourceRef ref;
        private final SourceDoc doc;
        private final Reporter r;

        Walk(SourceRef ref, Reporter r) {
            this.ref = ref;
            this.doc = ref.doc();
            this.r = r;
        }

        void object(JsonNode obj) {
            String kind = obj.path("kind").asText("");
            String api = obj.path("apiVersion").asText("");
            switch (kind) {
                case "Pod" -> {
                    if (api.equals("v1")) {
                        labels(obj, "/metadata/labels", "metadata.labels");
                        podSpec(obj, "/spec");
                        status(obj);
                    }
                }
                case "Namespace" -> {
                    if (api.equals("v1")) {
                        labels(obj, "/metadata/labels", "metadata.labels");
                    }
                }
                case "Service" -> {
                    if (api.equals("v1")) {
                        service(obj);
                    }
                }
                default -> {
                    if (InventoryBuilder.WORKLOAD_KINDS.contains(kind)) {
                        String tp = kind.equals("CronJob") ? "/spec/jobTemplate/spec/template" : "/spec/template";
                        if (obj.at(tp).isObject()) {
                            labels(obj, tp + "/metadata/labels", display(tp + "/metadata/labels"));
                            podSpec(obj, tp + "/spec");
                        }
                    }
                }
            }
        }

        private void labels(JsonNode obj, String rel, String what) {
            JsonNode labels = obj.at(rel);
            if (labels.isMissingNode() || labels.isNull()) {
                return;
            }
            if (!labels.isObject()) {
                report("INV001", rel, what + " is " + InventoryBuilder.jsonType(labels) + " but must be a map of "
                        + "label keys to values (key: value lines); the API rejects the object");
                return;
            }
            LabelValidation.labelMap(doc, ref.ptr(rel), labels, what, LABEL_RULES, this::sink);
        }

        private void podSpec(JsonNode obj, String specRel) {
            for (String list : List.of("containers", "initContainers")) {
                String lp = specRel + "/" + list;
                JsonNode cs = obj.at(lp);
                if (!cs.isArray()) {
                    continue; // absent, or a wrong type the fabric8 binding reports as INV005
                }
                for (int i = 0; i < cs.size(); i++) {
                    JsonNode ports = cs.get(i).path("ports");
                    String pp = lp + "/" + i + "/ports";
                    if (ports.isMissingNode() || ports.isNull()) {
                        continue;
                    }
                    if (!ports.isArray()) {
                        report("INV002", pp, display(pp) + " is " + InventoryBuilder.jsonType(ports) + " but must "
                                + "be a list ('-' items) of ports; the API rejects the object");
                        continue;
                    }
                    Set<String> names = new HashSet<>();
                    for (int j = 0; j < ports.size(); j++) {
                        containerPort(pp + "/" + j, ports.get(j), names);
                    }
                }
            }
        }

        private void containerPort(String pp, JsonNode port, Set<String> names) {
            if (!port.isObject()) {
                report("INV002", pp, display(pp) + " is " + InventoryBuilder.jsonType(port) + " but must be a "
                        + "map such as {containerPort: 8080, name: http}");
                return;
            }
            JsonNode cp = port.get("containerPort");
            if (cp == null || cp.isNull()) {
                reportKey("INV002", pp, display(pp) + " has no containerPort, which the API requires; add "
                        + "containerPort: <number>");
            } else {
                portNumber(pp + "/containerPort", cp, "INV002", false);
            }
            JsonNode hp = port.get("hostPort");
            if (hp != null && !hp.isNull() && !(hp.isIntegralNumber() && hp.asLong() == 0)) {
                portNumber(pp + "/hostPort", hp, "INV002", false);
            }
            JsonNode name = port.get("name");
            if (name != null && !name.isNull()) {
                if (!name.isTextual()) {
                    report("INV002", pp + "/name", display(pp + "/name") + " is " + InventoryBuilder.jsonType(name)
                            + " but must be a string; quote it");
                } else if (!name.asText().isEmpty()) {
                    List<String> errs = K8sNames.portName(name.asText());
                    if (!errs.isEmpty()) {
                        report("INV002", pp + "/name", "port name \"" + name.asText() + "\" is invalid: "
                                + errs.get(0) + "; NetworkPolicies and Services refer to ports by this name, use at "
                                + "most 15 lower-case letters, digits and '-' (e.g. http)");
                    } else if (!names.add(name.asText())) {
                        report("INV002", pp + "/name", "port name \"" + name.asText() + "\" is used twice in this "
                                + "container (the API rejects a duplicate): give each port its own name");
                    }
                }
            }
            protocol(pp + "/protocol", port.get("protocol"), "INV002");
        }

        private void service(JsonNode obj) {
            JsonNode spec = obj.path("spec");
            if (!spec.isObject()) {
                return;
            }
            JsonNode sel = spec.get("selector");
            if (sel != null && !sel.isNull()) {
                labels(obj, "/spec/selector", "spec.selector");
            }
            String type = spec.path("type").asText("ClusterIP");
            boolean headless = "None".equals(spec.path("clusterIP").asText(""));
            JsonNode ports = spec.get("ports");
            if (ports == null || ports.isNull() || ports.isArray() && ports.isEmpty()) {
                if (!type.equals("ExternalName") && !headless) {
                    reportKey("INV003", ports == null ? "/spec" : "/spec/ports", "spec.ports is required for a "
                            + type + " Service; add the ports it serves (port and targetPort)");
                }
                return;
            }
            if (!ports.isArray()) {
                report("INV003", "/spec/ports", "spec.ports is " + InventoryBuilder.jsonType(ports) + " but must be "
                        + "a list ('-' items) of ports; the API rejects the object");
                return;
            }
            Set<String> names = new HashSet<>();
            for (int i = 0; i < ports.size(); i++) {
                String pp = "/spec/ports/" + i;
                JsonNode p = ports.get(i);
                if (!p.isObject()) {
                    report("INV003", pp, display(pp) + " is " + InventoryBuilder.jsonType(p) + " but must be a map "
                            + "such as {port: 80, targetPort: 8080}");
                    continue;
                }
                JsonNode name = p.get("name");
                String n = name == null || name.isNull() ? "" : name.asText("");
                if (n.isEmpty() && ports.size() > 1) {
                    reportKey("INV003", pp, display(pp) + " has no name, which the API requires when a Service has "
                            + "more than one port; add name: <port name> (e.g. http)");
                } else if (!n.isEmpty()) {
                    List<String> errs = K8sNames.dns1123Label(n);
                    if (!name.isTextual()) {
                        report("INV003", pp + "/name", display(pp + "/name") + " is "
                                + InventoryBuilder.jsonType(name) + " but must be a string; quote it");
                    } else if (!errs.isEmpty()) {
                        report("INV003", pp + "/name", "Service port name \"" + n + "\" is invalid: " + errs.get(0)
                                + "; use lower-case letters, digits and '-' (e.g. http)");
                    } else if (!names.add(n)) {
                        report("INV003", pp + "/name", "Service port name \"" + n + "\" is used twice (the API "
                                + "rejects a duplicate): give each port its own name");
                    }
                }
                JsonNode port = p.get("port");
                if (port == null || port.isNull()) {
                    reportKey("INV003", pp, display(pp) + " has no port, which the API requires; add port: <number>");
                } else {
                    portNumber(pp + "/port", port, "INV003", false);
                }
                JsonNode tp = p.get("targetPort");
                if (tp != null && !tp.isNull() && !(tp.isIntegralNumber() && tp.asLong() == 0)) {
                    portNumber(pp + "/targetPort", tp, "INV003", true);
                }
                protocol(pp + "/protocol", p.get("protocol"), "INV003");
            }
        }

        private void status(JsonNode obj) {
            JsonNode st = obj.path("status");
            if (!st.isObject()) {
                return;
            }
            JsonNode podIP = st.get("podIP");
            String first = null;
            if (podIP != null && !podIP.isNull()) {
                if (!podIP.isTextual() || Cidrs.ip(podIP.asText()) == null) {
                    report("INV004", "/status/podIP", "status.podIP " + InventoryBuilder.jsonType(podIP) + " is not "
                            + "an IP address, so podnet cannot place the pod by address (ipBlock rules, probes by IP "
                            + "miss it); write the address the pod has (e.g. 10.244.1.5) or remove it");
                } else {
                    first = podIP.asText();
                }
            }
            JsonNode ips = st.get("podIPs");
            if (ips == null || ips.isNull()) {
                return;
            }
            if (!ips.isArray()) {
                report("INV004", "/status/podIPs", "status.podIPs is " + InventoryBuilder.jsonType(ips) + " but "
                        + "must be a list of {ip: <address>}");
                return;
            }
            for (int i = 0; i < ips.size(); i++) {
                JsonNode ip = ips.get(i).path("ip");
                String ptr = "/status/podIPs/" + i + (ips.get(i).isObject() ? "/ip" : "");
                if (!ip.isTextual() || Cidrs.ip(ip.asText()) == null) {
                    report("INV004", ptr, "status.podIPs[" + i + "].ip " + InventoryBuilder.jsonType(ips.get(i)
                            .isObject() ? ip : ips.get(i)) + " is not an IP address; write {ip: <address>} with "
                            + "the address the pod has");
                } else if (i == 0 && first != null && !Cidrs.ip(first).equals(Cidrs.ip(ip.asText()))) {
                    report("INV004", ptr, "status.podIPs[0].ip " + ip.asText() + " differs from status.podIP "
                            + first + " (the API keeps them equal); make them the same address");
                }
            }
        }

        /** A port number (int32 in 1-65535), or with {@code nameAllowed} a number or an IANA_SVC_NAME. */
        private void portNumber(String ptr, JsonNode v, String rule, boolean nameAllowed) {
            if (v.isIntegralNumber()) {
                if (!v.canConvertToInt() || v.asInt() < 1 || v.asInt() > 65535) {
                    report(rule, ptr, display(ptr) + " " + v.asText() + " is out of range: must be between 1 and "
                            + "65535, inclusive");
                }
                return;
            }
            if (v.isTextual() && nameAllowed) {
                String s = v.asText();
                if (s.matches("[0-9]+")) {
                    report(rule, ptr, display(ptr) + " \"" + s + "\" is quoted, so the API reads it as a port name "
                            + "and rejects it (a name needs a letter); write " + s + " without quotes");
                    return;
                }
                List<String> errs = K8sNames.portName(s);
                if (!errs.isEmpty()) {
                    report(rule, ptr, display(ptr) + " name \"" + s + "\" is invalid: " + errs.get(0) + "; use the "
                            + "container port's name (e.g. http) or its number");
                }
                return;
            }
            String fix = v.isTextual() && v.asText().matches("[0-9]+") ? "; write " + v.asText() + " without quotes"
                    : "";
            report(rule, ptr, display(ptr) + " is " + InventoryBuilder.jsonType(v) + " but must be an integer"
                    + (nameAllowed ? " or a port name" : "") + "; the API rejects the object" + fix);
        }

        private void protocol(String ptr, JsonNode v, String rule) {
            if (v == null || v.isNull()) {
                return; // defaults to TCP
            }
            String s = v.asText("");
            if (!v.isTextual() || !PROTOCOLS.contains(s)) {
                String upper = s.toUpperCase(Locale.ROOT);
                report(rule, ptr, "protocol " + (v.isTextual() ? "\"" + s + "\"" : InventoryBuilder.jsonType(v))
                        + " is not supported: use TCP, UDP or SCTP" + (PROTOCOLS.contains(upper)
                        ? " (did you mean " + upper + "? protocols are case-sensitive)" : ""));
            }
        }

        private void report(String rule, String rel, String msg) {
            r.report(rule, doc, ref.ptr(rel), msg);
        }

        private void reportKey(String rule, String rel, String msg) {
            r.reportKey(rule, doc, ref.ptr(rel), msg);
        }

        private void sink(String rule, String pointer, boolean onKey, String message) {
            if (onKey) {
                r.reportKey(rule, doc, pointer, message);
            } else {
                r.report(rule, doc, pointer, message);
            }
        }

        private static String display(String rel) {
            return InventoryBuilder.display(rel);
        }
    }
}
