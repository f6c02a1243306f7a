package dev.podnet.inventory;

import dev.podnet.config.ClusterFacts;
import com.fasterxml.jackson.annotation.JsonIncludeProperties;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.podnet.inventory.Entities.ContainerPort;
import dev.podnet.inventory.Entities.NamespaceInfo;
import dev.podnet.inventory.Entities.NodeInfo;
import dev.podnet.inventory.Entities.PodInfo;
import dev.podnet.inventory.Entities.PolicyInfo;
import dev.podnet.inventory.Entities.ServiceInfo;
import dev.podnet.inventory.Entities.ServicePort;
import dev.podnet.lint.DocKind;
import dev.podnet.lint.SourceFile;
import dev.podnet.lint.Workspace;
import dev.podnet.source.SourceDoc;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.NodeSpec;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Builds the {@link Inventory} from a workspace: every Kubernetes manifest document (and every item of
 * {@code List} documents, as {@code kubectl get -o yaml} writes them) is deserialized with the fabric8
 * kubernetes-model classes, binding only the fields the inventory reads ({@code Bound}). Objects that do not
 * deserialize (wrong types in those fields) and workloads without a pod
 * template are left out; {@link #build(Workspace, Consumer)} tells which and why, and the inventory family
 * ({@link InventoryValidation}) reports each of them. Namespaces that objects live in but that no manifest declares are assumed
 * to exist with the label {@code kubernetes.io/metadata.name: <name>} (set by the API server since 1.21; see the
 * Kubernetes docs "Targeting a Namespace by its name").
 */
public final class InventoryBuilder {
    /** The label the control plane sets on every namespace (immutable, equals the name). */
    public static final String NAME_LABEL = "kubernetes.io/metadata.name";
    /** The apiVersion of each kind the inventory reads (for an object that lacks one). */
    private static final Map<String, String> API_GROUPS = Map.ofEntries(Map.entry("Namespace", "v1"),
            Map.entry("Pod", "v1"), Map.entry("Service", "v1"), Map.entry("Node", "v1"),
            Map.entry("ReplicationController", "v1"), Map.entry("Deployment", "apps/v1"),
            Map.entry("StatefulSet", "apps/v1"), Map.entry("DaemonSet", "apps/v1"), Map.entry("ReplicaSet", "apps/v1"),
            Map.entry("Job", "batch/v1"), Map.entry("CronJob", "batch/v1"));

    /**
     * The apiVersion to write for an object of {@code kind} that lacks one: for NetworkPolicy and the kinds the
     * inventory reads (Namespace, Pod, Service, Node and the workloads); null for every other kind.
     */
    public static String apiVersionFor(String kind) {
        return "NetworkPolicy".equals(kind) ? "networking.k8s.io/v1" : API_GROUPS.get(kind);
    }

    /** Workload kinds whose pod template is read. */
    public static final Set<String> WORKLOAD_KINDS = Set.of("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet",
            "Job", "CronJob", "ReplicationController");

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .addMixIn(Pod.class, Bound.ApiObject.class)
            .addMixIn(Service.class, Bound.WithoutStatus.class)
            .addMixIn(Node.class, Bound.ApiObject.class)
            .addMixIn(Namespace.class, Bound.Namespace.class)
            .addMixIn(NetworkPolicy.class, Bound.WithoutStatus.class)
            .addMixIn(PodTemplateSpec.class, Bound.Template.class)
            .addMixIn(ObjectMeta.class, Bound.Meta.class)
            .addMixIn(PodSpec.class, Bound.PodSpec.class)
            .addMixIn(Container.class, Bound.Container.class)
            .addMixIn(PodStatus.class, Bound.PodStatus.class)
            .addMixIn(ServiceSpec.class, Bound.ServiceSpec.class)
            .addMixIn(NodeSpec.class, Bound.NodeSpec.class)
            .addMixIn(NodeStatus.class, Bound.NodeStatus.class);

    /**
     * The fields of the fabric8 model classes that the inventory binds: the ones it reads, and nothing else
     * (Jackson {@code @JsonIncludeProperties} mix-ins). Other fields are skipped without being bound, so a wrong
     * type in a field podnet does not read (a volume, a probe, an environment variable) does not leave the object out
     * of the inventory, and Jackson builds no deserializers for the large parts of the model podnet does not use
     * (volume sources, affinity, probes, container and node statuses). The classes not listed here (NetworkPolicy's
     * spec and its parts, container and Service ports, Pod IPs, node addresses) are bound whole.
     */
    private static final class Bound {
        @JsonIncludeProperties({"apiVersion", "kind", "metadata", "spec", "status"})
        abstract static class ApiObject {
        }

        @JsonIncludeProperties({"apiVersion", "kind", "metadata"})
        abstract static class Namespace {
        }

        @JsonIncludeProperties({"apiVersion", "kind", "metadata", "spec"})
        abstract static class WithoutStatus {
        }

        @JsonIncludeProperties({"metadata", "spec"})
        abstract static class Template {
        }

        @JsonIncludeProperties({"name", "namespace", "labels", "annotations"})
        abstract static class Meta {
        }

        @JsonIncludeProperties({"containers", "initContainers", "nodeName", "hostNetwork"})
        abstract static class PodSpec {
        }

        @JsonIncludeProperties({"name", "ports", "restartPolicy"})
        abstract static class Container {
        }

        @JsonIncludeProperties({"podIP", "podIPs"})
        abstract static class PodStatus {
        }

        @JsonIncludeProperties({"selector", "ports", "clusterIP", "clusterIPs"})
        abstract static class ServiceSpec {
        }

        @JsonIncludeProperties({"podCIDR", "podCIDRs"})
        abstract static class NodeSpec {
        }

        @JsonIncludeProperties({"addresses"})
        abstract static class NodeStatus {
        }
    }

    private final Map<String, NamespaceInfo> namespaces = new LinkedHashMap<>();
    private final List<PodInfo> pods = new ArrayList<>();
    private final List<PodInfo> workloads = new ArrayList<>();
    private final List<ServiceInfo> services = new ArrayList<>();
    private final List<NodeInfo> nodes = new ArrayList<>();
    private final List<PolicyInfo> policies = new ArrayList<>();
    private final List<String> referencedNamespaces = new ArrayList<>();
    private final Consumer<LeftOut> leftOut;

    private InventoryBuilder(Consumer<LeftOut> leftOut) {
        this.leftOut = leftOut;
    }

    /**
     * An object the inventory leaves out, so the simulation does not know it.
     *
     * @param ref     the object
     * @param kind    its kind (Pod, Service, Deployment, ...)
     * @param field   absolute JSON pointer of the field that made it unreadable (the object's own pointer when
     *                no single field is to blame)
     * @param reason  why, one clause naming the field, e.g. {@code spec.containers is a map but must be a list}
     */
    public record LeftOut(SourceRef ref, String kind, String field, String reason) {
    }

    /**
     * Binds a manifest tree to a fabric8 model class. The source parsers give whole numbers that fit an int as
     * {@code int} nodes, which fabric8's {@code IntOrString} (ports, targetPorts) requires.
     *
     * @throws com.fasterxml.jackson.core.JsonProcessingException when the tree does not fit the class
     */
    public static <T> T convert(JsonNode node, Class<T> type)
            throws com.fasterxml.jackson.core.JsonProcessingException {
        return MAPPER.treeToValue(node, type);
    }

    /**
     * Prepares the fabric8 binding of every kind the inventory reads (Jackson builds and caches a deserializer per
     * model class the first time it meets it, which in a cold JVM takes a large part of a second) by binding one
     * minimal object of each. The CLI calls it on a second thread while it starts up and reads its inputs, when one
     * core is idle. Never throws.
     *
     * @return how many kinds were bound (6 when every minimal object bound)
     */
    public static int warmUp() {
        int bound = 0;
        try {
            ObjectMapper json = new ObjectMapper();
            String meta = "\"metadata\": {\"name\": \"w\", \"namespace\": \"w\", \"labels\": {\"a\": \"b\"}}";
            String podSpec = "{\"containers\": [{\"name\": \"c\", \"image\": \"i\", \"ports\": [{\"name\": \"p\", "
                    + "\"containerPort\": 80, \"protocol\": \"TCP\"}]}], \"nodeName\": \"n\"}";
            bound += convert(json.readTree("{" + meta + ", \"spec\": " + podSpec
                    + ", \"status\": {\"podIP\": \"10.0.0.1\", "
                    + "\"podIPs\": [{\"ip\": \"10.0.0.1\"}]}}"), Pod.class) != null ? 1 : 0;
            bound += convert(json.readTree("{" + meta + ", \"spec\": " + podSpec + "}"), PodTemplateSpec.class) != null
                    ? 1 : 0;
            bound += convert(json.readTree("{" + meta + ", \"spec\": {\"selector\": {\"a\": \"b\"}, \"clusterIP\": "
                    + "\"10.96.0.1\", \"ports\": [{\"name\": \"p\", \"port\": 80, \"targetPort\": 8080}]}}"),
                    Service.class) != null ? 1 : 0;
            bound += convert(json.readTree("{" + meta + "}"), Namespace.class) != null ? 1 : 0;
            bound += convert(json.readTree("{" + meta + ", \"spec\": {\"podCIDR\": \"10.0.0.0/24\"}, \"status\": "
                    + "{\"addresses\": [{\"type\": \"InternalIP\", \"address\": \"192.0.2.1\"}]}}"), Node.class) != null
                    ? 1 : 0;
            bound += convert(json.readTree("{" + meta
                    + ", \"spec\": {\"podSelector\": {\"matchLabels\": {\"a\": \"b\"}, "
                    + "\"matchExpressions\": [{\"key\": \"k\", \"operator\": \"In\", \"values\": [\"v\"]}]}, "
                    + "\"policyTypes\": [\"Ingress\", \"Egress\"], \"ingress\": [{\"from\": [{\"podSelector\": {}, "
                    + "\"namespaceSelector\": {}}, {\"ipBlock\": {\"cidr\": \"10.0.0.0/8\", \"except\": "
                    + "[\"10.1.0.0/16\"]}}], \"ports\": [{\"protocol\": \"TCP\", \"port\": 80, \"endPort\": 90}]}], "
                    + "\"egress\": [{\"to\": [{\"podSelector\": {}}]}]}}"), NetworkPolicy.class) != null ? 1 : 0;
        } catch (com.fasterxml.jackson.core.JsonProcessingException | RuntimeException e) {
            // a warm-up only: the real binding reports its own problems
        }
        return bound;
    }

    /** One build of a workspace: the inventory and the objects left out of it. */
    private record Built(Inventory inventory, List<LeftOut> leftOut) {
    }

    /** The workspace's inventory, built once per workspace and shared by the checks that need it. */
    private static final Workspace.Key<Built> INVENTORY = new Workspace.Key<>("inventory");

    /**
     * The inventory of the workspace, built on first use ({@link #build}) and kept in the workspace
     * ({@link Workspace#derived}): the checks of one lint run and the language server share one build.
     */
    public static Inventory of(Workspace ws) {
        return built(ws).inventory();
    }

    /** The objects the shared build ({@link #of}) left out, in input order. */
    public static List<LeftOut> leftOut(Workspace ws) {
        return built(ws).leftOut();
    }

    private static Built built(Workspace ws) {
        return ws.derived(INVENTORY, () -> {
            List<LeftOut> out = new ArrayList<>();
            Inventory inv = build(ws, out::add);
            return new Built(inv, List.copyOf(out));
        });
    }

    /** Builds the inventory of every manifest and project file in the workspace. */
    public static Inventory build(Workspace ws) {
        return build(ws, l -> {
        });
    }

    /**
     * Builds the inventory and tells {@code leftOut} about every object that is not in it: a Namespace, Pod,
     * Service, Node, NetworkPolicy or workload that does not deserialize into its fabric8 class (a field of the
     * wrong type), and a workload without a pod template object.
     */
    public static Inventory build(Workspace ws, Consumer<LeftOut> leftOut) {
        // The run's project file (found from the inputs upwards, --config) gives the facts; without one, a project
        // file among the inputs does (the language server, podnet simulate). Another podnet.yaml among the inputs of
        // a run with its own project file (in a subfolder, beside --config) does not: its rules do not apply either.
        java.util.Optional<JsonNode> runCluster = ws.cached(dev.podnet.lint.LintEngine.PROJECT_CLUSTER);
        ClusterFacts facts = runCluster.map(ClusterFacts::fromJson).orElse(ClusterFacts.UNKNOWN);
        List<SourceDoc> manifests = new ArrayList<>();
        for (SourceFile f : ws.files()) {
            for (SourceFile.Doc d : f.docs()) {
                if (d.kind() == DocKind.PROJECT && runCluster.isEmpty()) {
                    facts = ClusterFacts.fromJson(d.doc().root().get("cluster"));
                } else if (d.kind() == DocKind.MANIFEST) {
                    manifests.add(d.doc());
                }
            }
        }
        // Each document is read on its own (fabric8 binding is most of the work), on every core for large inputs;
        // the parts are merged in input order below.
        List<Part> parts = (manifests.size() >= 64 ? manifests.parallelStream() : manifests.stream())
                .map(d -> ws.memo().perDoc(PART, d, () -> part(d))).toList();
        List<Part> worldParts = new ArrayList<>();
        List<String> referenced = new ArrayList<>();
        List<PolicyInfo> policies = new ArrayList<>();
        for (Part p : parts) {
            if (p.world()) {
                worldParts.add(p);
            }
            referenced.addAll(p.referencedNamespaces);
            policies.addAll(p.policies);
            p.leftOut.forEach(leftOut);
        }
        ClusterFacts f = facts;
        // Everything but the policies, kept as the same objects while no document that contributes to it changes
        // (the checks of the language server key their own results on it, see Inventory#sameWorld).
        World world = ws.memo().keyed(WORLD, List.of(f, worldParts, referenced), () -> world(worldParts,
                referenced));
        return new Inventory(f, world.namespaces(), world.pods(), world.workloads(), world.services(), world.nodes(),
                List.copyOf(policies));
    }

    /** The inventory without its policies (see {@link Inventory#sameWorld}). */
    private record World(Map<String, NamespaceInfo> namespaces, List<PodInfo> pods, List<PodInfo> workloads,
                         List<ServiceInfo> services, List<NodeInfo> nodes) {
    }

    private static final Workspace.Key<Part> PART = new Workspace.Key<>("inventory part of a document");
    private static final Workspace.Key<World> WORLD = new Workspace.Key<>("inventory without policies");

    /**
     * What one manifest document contributes to the inventory, read from the document alone. Compares by identity
     * (it is a memo entry, see {@link dev.podnet.lint.LintMemo}).
     */
    private static final class Part {
        final Map<String, NamespaceInfo> namespaces;
        final List<PodInfo> pods;
        final List<PodInfo> workloads;
        final List<ServiceInfo> services;
        final List<NodeInfo> nodes;
        final List<PolicyInfo> policies;
        final List<String> referencedNamespaces;
        final List<LeftOut> leftOut;

        Part(InventoryBuilder b, List<LeftOut> leftOut) {
            namespaces = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.namespaces));
            pods = List.copyOf(b.pods);
            workloads = List.copyOf(b.workloads);
            services = List.copyOf(b.services);
            nodes = List.copyOf(b.nodes);
            policies = List.copyOf(b.policies);
            referencedNamespaces = List.copyOf(b.referencedNamespaces);
            this.leftOut = List.copyOf(leftOut);
        }

        /** True when the document has something besides policies (and objects left out). */
        boolean world() {
            return !namespaces.isEmpty() || !pods.isEmpty() || !workloads.isEmpty() || !services.isEmpty()
                    || !nodes.isEmpty();
        }
    }

    private static Part part(SourceDoc doc) {
        List<LeftOut> left = new ArrayList<>();
        InventoryBuilder b = new InventoryBuilder(left::add);
        b.object(doc, "", doc.root());
        return new Part(b, left);
    }

    /** Merges the parts in input order, as one builder reading the documents one after the other would. */
    private static World world(List<Part> parts, List<String> referenced) {
        Map<String, NamespaceInfo> namespaces = new LinkedHashMap<>();
        List<PodInfo> pods = new ArrayList<>();
        List<PodInfo> workloads = new ArrayList<>();
        List<ServiceInfo> services = new ArrayList<>();
        List<NodeInfo> nodes = new ArrayList<>();
        for (Part p : parts) {
            namespaces.putAll(p.namespaces);
            pods.addAll(p.pods);
            workloads.addAll(p.workloads);
            services.addAll(p.services);
            nodes.addAll(p.nodes);
        }
        for (String ns : referenced) {
            namespaces.computeIfAbsent(ns, n -> new NamespaceInfo(n, Map.of(NAME_LABEL, n), false, null));
        }
        return new World(java.util.Collections.unmodifiableMap(namespaces), List.copyOf(pods), List.copyOf(workloads),
                List.copyOf(services), List.copyOf(nodes));
    }

    /** The manifest objects of a document: the object itself, or the items of a List kind. */
    public static List<SourceRef> objects(SourceDoc doc) {
        List<SourceRef> out = new ArrayList<>();
        JsonNode root = doc.root();
        if (isList(root)) {
            JsonNode items = root.get("items");
            for (int i = 0; i < items.size(); i++) {
                if (items.get(i).isObject()) {
                    out.add(new SourceRef(doc, "/items/" + i));
                }
            }
        } else {
            out.add(new SourceRef(doc, ""));
        }
        return out;
    }


    private static boolean isList(JsonNode n) {
        return n.path("kind").asText("").endsWith("List") && n.path("items").isArray();
    }

    private void object(SourceDoc doc, String base, JsonNode node) {
        if (isList(node)) {
            JsonNode items = node.get("items");
            for (int i = 0; i < items.size(); i++) {
                if (items.get(i).isObject()) {
                    object(doc, base + "/items/" + i, items.get(i));
                }
            }
            return;
        }
        SourceRef ref = new SourceRef(doc, base);
        String kind = node.path("kind").asText("");
        String ns = namespaceOf(node);
        String convertBase = "";
        String group = API_GROUPS.get(kind);
        if (group != null && !node.has("apiVersion")) {
            leftOut.accept(new LeftOut(ref, kind, ref.ptr(""), "apiVersion is missing, which the API server rejects; "
                    + "add apiVersion: " + group));
            return;
        }
        try {
            switch (kind) {
                case "Namespace" -> namespace(convert(node, Namespace.class), ref);
                case "Pod" -> {
                    Pod p = convert(node, Pod.class);
                    referencedNamespaces.add(ns);
                    pods.add(pod(ns, name(node), "Pod", p.getMetadata() == null ? null : p.getMetadata().getLabels(),
                            p.getSpec(), ips(p), ref, "/metadata/labels"));
                }
                case "Service" -> {
                    referencedNamespaces.add(ns);
                    services.add(service(ns, convert(node, Service.class), ref));
                }
                case "Node" -> nodes.add(node(convert(node, Node.class), ref));
                case "NetworkPolicy" -> {
                    if (node.path("apiVersion").asText("").startsWith("networking.k8s.io/")) {
                        referencedNamespaces.add(ns);
                        policies.add(new PolicyInfo(ns, name(node), convert(node, NetworkPolicy.class),
                                ref));
                    }
                }
                default -> {
                    if (WORKLOAD_KINDS.contains(kind)) {
                        String tp = kind.equals("CronJob") ? "/spec/jobTemplate/spec/template" : "/spec/template";
                        JsonNode t = node.at(tp);
                        if (!t.isObject()) {
                            leftOut.accept(new LeftOut(ref, kind, ref.ptr(t.isMissingNode() ? "" : tp),
                                    display(tp) + (t.isMissingNode() || t.isNull() ? " is missing"
                                            : " is " + jsonType(t) + " but must be a map") + ", so podnet knows no "
                                            + "pods of it"));
                        } else {
                            convertBase = tp;
                            PodTemplateSpec tpl = convert(t, PodTemplateSpec.class);
                            referencedNamespaces.add(ns);
                            workloads.add(pod(ns, name(node), kind, tpl.getMetadata() == null ? null
                                    : tpl.getMetadata().getLabels(), tpl.getSpec(), List.of(), ref,
                                    tp + "/metadata/labels"));
                        }
                    }
                }
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
            // Mistyped fields: the object is left out, and said so.
            leftOut.accept(leftOut(ref, kind, convertBase, node, e));
        }
    }

    /** Why Jackson could not bind the object: the field on its path and the type it needed. */
    private static LeftOut leftOut(SourceRef ref, String kind, String convertBase, JsonNode node, Exception e) {
        com.fasterxml.jackson.databind.JsonMappingException jm =
                e instanceof com.fasterxml.jackson.databind.JsonMappingException m ? m
                        : e.getCause() instanceof com.fasterxml.jackson.databind.JsonMappingException m2 ? m2 : null;
        StringBuilder rel = new StringBuilder(convertBase);
        if (jm != null) {
            for (com.fasterxml.jackson.databind.JsonMappingException.Reference r : jm.getPath()) {
                if (r.getFieldName() != null) {
                    rel.append('/').append(r.getFieldName().replace("~", "~0").replace("/", "~1"));
                } else if (r.getIndex() >= 0) {
                    rel.append('/').append(r.getIndex());
                }
            }
        }
        String relPtr = rel.toString();
        JsonNode v = relPtr.isEmpty() ? node : node.at(relPtr);
        String want = null;
        if (jm instanceof com.fasterxml.jackson.databind.exc.MismatchedInputException mi
                && mi.getTargetType() != null) {
            want = typeWords(mi.getTargetType());
        }
        String reason = relPtr.isEmpty() ? "it cannot be read as a " + kind
                : display(relPtr) + " is " + jsonType(v) + (want == null ? ", which the " + kind + " schema does "
                + "not accept" : " but must be " + want);
        return new LeftOut(ref, kind, ref.ptr(relPtr), reason);
    }

    private static String typeWords(Class<?> t) {
        if (java.util.Collection.class.isAssignableFrom(t) || t.isArray()) {
            return "a list";
        }
        if (t == Integer.class || t == int.class || t == Long.class || t == long.class) {
            return "an integer";
        }
        if (t == String.class) {
            return "a string";
        }
        if (t == Boolean.class || t == boolean.class) {
            return "true or false";
        }
        if (t == IntOrString.class) {
            return "an integer or a string";
        }
        if (t.isEnum() || Number.class.isAssignableFrom(t)) {
            return "a " + t.getSimpleName();
        }
        return "a map";
    }

    /** The kind of a JSON value in messages ("the string \"80\"", "a map", ...). */
    static String jsonType(JsonNode v) {
        if (v == null || v.isMissingNode()) {
            return "missing";
        }
        if (v.isTextual()) {
            String s = v.asText();
            return "the string \"" + (s.length() > 30 ? s.substring(0, 30) + "..." : s) + "\"";
        }
        if (v.isBoolean()) {
            return "the boolean " + v.asText();
        }
        if (v.isNumber()) {
            return "the number " + v.asText();
        }
        if (v.isArray()) {
            return "a list";
        }
        if (v.isObject()) {
            return "a map";
        }
        return "null";
    }

    /** A relative JSON pointer as a field path: {@code /spec/containers/0/ports} reads spec.containers[0].ports. */
    static String display(String rel) {
        StringBuilder sb = new StringBuilder();
        for (String t : rel.substring(rel.startsWith("/") ? 1 : 0).split("/", -1)) {
            if (!t.isEmpty() && t.chars().allMatch(c -> c >= '0' && c <= '9')) {
                sb.append('[').append(t).append(']');
            } else {
                sb.append(sb.length() == 0 ? "" : ".").append(t.replace("~1", "/").replace("~0", "~"));
            }
        }
        return sb.toString();
    }


    private static String name(JsonNode node) {
        return node.path("metadata").path("name").asText("");
    }

    /** The namespace of an object: {@code metadata.namespace}, else {@code default} (kubectl's default). */
    public static String namespaceOf(JsonNode node) {
        String ns = node.path("metadata").path("namespace").asText("");
        return ns.isEmpty() ? "default" : ns;
    }

    private void namespace(Namespace n, SourceRef ref) {
        String name = n.getMetadata() == null || n.getMetadata().getName() == null ? "" : n.getMetadata().getName();
        Map<String, String> labels = new LinkedHashMap<>();
        if (n.getMetadata() != null && n.getMetadata().getLabels() != null) {
            labels.putAll(n.getMetadata().getLabels());
        }
        labels.putIfAbsent(NAME_LABEL, name);
        namespaces.put(name, new NamespaceInfo(name, Map.copyOf(labels), true, ref));
    }

    private static List<String> ips(Pod p) {
        List<String> out = new ArrayList<>();
        if (p.getStatus() != null) {
            if (p.getStatus().getPodIPs() != null) {
                for (PodIP ip : p.getStatus().getPodIPs()) {
                    if (ip.getIp() != null && !out.contains(ip.getIp())) {
                        out.add(ip.getIp());
                    }
                }
            }
            if (p.getStatus().getPodIP() != null && !out.contains(p.getStatus().getPodIP())) {
                out.add(0, p.getStatus().getPodIP());
            }
        }
        return out;
    }

    private static PodInfo pod(String ns, String name, String kind, Map<String, String> labels, PodSpec spec,
                               List<String> ips, SourceRef ref, String labelsPointer) {
        List<ContainerPort> ports = new ArrayList<>();
        String nodeName = "";
        boolean hostNetwork = false;
        if (spec != null) {
            List<Container> cs = new ArrayList<>();
            if (spec.getInitContainers() != null) {
                // Sidecar containers (restartPolicy: Always) serve traffic too.
                spec.getInitContainers().stream().filter(c -> "Always".equals(c.getRestartPolicy())).forEach(cs::add);
            }
            if (spec.getContainers() != null) {
                cs.addAll(spec.getContainers());
            }
            for (Container c : cs) {
                if (c.getPorts() == null) {
                    continue;
                }
                for (io.fabric8.kubernetes.api.model.ContainerPort cp : c.getPorts()) {
                    if (cp.getContainerPort() == null) {
                        continue;
                    }
                    ports.add(new ContainerPort(cp.getName() == null ? "" : cp.getName(), cp.getContainerPort(),
                            cp.getProtocol() == null ? "TCP" : cp.getProtocol()));
                }
            }
            nodeName = spec.getNodeName() == null ? "" : spec.getNodeName();
            hostNetwork = Boolean.TRUE.equals(spec.getHostNetwork());
        }
        return new PodInfo(ns, name, kind, labels == null ? Map.of() : Map.copyOf(labels), List.copyOf(ips),
                List.copyOf(ports), nodeName, hostNetwork, ref, labelsPointer);
    }

    private static ServiceInfo service(String ns, Service s, SourceRef ref) {
        List<ServicePort> ports = new ArrayList<>();
        Map<String, String> selector = Map.of();
        List<String> clusterIPs = new ArrayList<>();
        if (s.getSpec() != null) {
            if (s.getSpec().getPorts() != null) {
                for (io.fabric8.kubernetes.api.model.ServicePort p : s.getSpec().getPorts()) {
                    int port = p.getPort() == null ? 0 : p.getPort();
                    IntOrString tp = p.getTargetPort();
                    String target = tp == null ? String.valueOf(port)
                            : tp.getIntVal() != null ? String.valueOf(tp.getIntVal()) : tp.getStrVal();
                    ports.add(new ServicePort(p.getName() == null ? "" : p.getName(), port, target,
                            p.getProtocol() == null ? "TCP" : p.getProtocol()));
                }
            }
            if (s.getSpec().getSelector() != null) {
                selector = Map.copyOf(s.getSpec().getSelector());
            }
            if (s.getSpec().getClusterIPs() != null) {
                clusterIPs.addAll(s.getSpec().getClusterIPs());
            }
            if (s.getSpec().getClusterIP() != null && !clusterIPs.contains(s.getSpec().getClusterIP())) {
                clusterIPs.add(0, s.getSpec().getClusterIP());
            }
        }
        String name = s.getMetadata() == null || s.getMetadata().getName() == null ? "" : s.getMetadata().getName();
        return new ServiceInfo(ns, name, selector, List.copyOf(ports), List.copyOf(clusterIPs), ref);
    }

    private static NodeInfo node(Node n, SourceRef ref) {
        List<String> cidrs = new ArrayList<>();
        List<String> addrs = new ArrayList<>();
        if (n.getSpec() != null) {
            if (n.getSpec().getPodCIDRs() != null) {
                cidrs.addAll(n.getSpec().getPodCIDRs());
            }
            if (n.getSpec().getPodCIDR() != null && !cidrs.contains(n.getSpec().getPodCIDR())) {
                cidrs.add(0, n.getSpec().getPodCIDR());
            }
        }
        if (n.getStatus() != null && n.getStatus().getAddresses() != null) {
            for (NodeAddress a : n.getStatus().getAddresses()) {
                if (a.getAddress() != null && !"Hostname".equals(a.getType())) {
                    addrs.add(a.getAddress());
                }
            }
        }
        String name = n.getMetadata() == null || n.getMetadata().getName() == null ? "" : n.getMetadata().getName();
        return new NodeInfo(name, List.copyOf(cidrs), List.copyOf(addrs), ref);
    }

}
