package dev.podnet.cni;

import com.fasterxml.jackson.databind.JsonNode;
import dev.podnet.lint.Reporter;
import dev.podnet.source.SourceDoc;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Plugin chains (CNI060-CNI064): capabilities the meta plugins need, meta plugins that cannot run first,
 * repeated plugin types and the firewall backend.
 *
 * <p>Sources: CNI CONVENTIONS.md (well-known capabilities {@code portMappings}, {@code bandwidth}; the runtime
 * passes {@code runtimeConfig} only for capabilities set to true); CNI SPEC.md section 3 (the first plugin of a
 * chain gets no {@code prevResult}); containernetworking/plugins {@code plugins/meta/portmap/main.go},
 * {@code bandwidth/main.go} ("must be called as chained plugin"), {@code firewall/firewall.go} ("missing
 * prevResult from earlier plugin"; {@code getBackend} falls back silently for an unknown {@code backend}),
 * {@code tuning/tuning.go} ("Required prevResult missing"), {@code sbr/main.go} ("This plugin must be called as
 * chained plugin").
 */
final class CniChainRules {
    /** Meta plugin type to the error it fails with when it gets no prevResult (plugins v1.1.1). */
    static final Map<String, String> META = Map.of(
            "portmap", "must be called as chained plugin",
            "bandwidth", "must be called as chained plugin",
            "firewall", "missing prevResult from earlier plugin",
            "tuning", "Required prevResult missing",
            "sbr", "This plugin must be called as chained plugin");

    /** The {@code backend} values the firewall plugin recognises. */
    static final List<String> FIREWALL_BACKENDS = List.of("iptables", "firewalld");

    private CniChainRules() {
    }

    static void check(CniConfig c, Reporter r) {
        SourceDoc doc = c.doc();
        List<CniConfig.Plugin> plugins = c.plugins();
        Map<String, CniConfig.Plugin> seen = new HashMap<>();
        for (CniConfig.Plugin pl : plugins) {
            String type = pl.type();
            JsonNode n = pl.node();
            String at = CniRules.anchor(doc, pl.pointer());
            JsonNode caps = n.path("capabilities");
            if (type.equals("portmap") && !CniRules.isTrue(caps.get("portMappings"))) {
                r.report("CNI060", doc, capsPointer(doc, pl, "portMappings"), "portmap without \"capabilities\": "
                        + "{\"portMappings\": true}: the runtime never passes the pods' hostPort mappings, so "
                        + "hostPort does nothing; add \"capabilities\": {\"portMappings\": true}");
            }
            if (type.equals("bandwidth") && !CniRules.isTrue(caps.get("bandwidth")) && !hasStaticRates(n)) {
                r.report("CNI061", doc, capsPointer(doc, pl, "bandwidth"), "bandwidth without \"capabilities\": "
                        + "{\"bandwidth\": true} and without static rates: the kubernetes.io/ingress-bandwidth and "
                        + "egress-bandwidth pod annotations are ignored; add \"capabilities\": {\"bandwidth\": true}");
            }
            String err = META.get(type);
            if (err != null && pl.index() == 0) {
                r.report("CNI062", doc, at, (c.list() ? "meta plugin \"" + type + "\" is first in the chain"
                        : "\"" + type + "\" is a meta plugin used as the whole network") + ": it needs the result "
                        + "of an earlier plugin and fails with \"" + err + "\"; put an interface plugin (bridge, ptp, "
                        + "flannel, ...) before it in \"plugins\"");
            }
            if (!type.isEmpty()) {
                CniConfig.Plugin first = seen.putIfAbsent(type, pl);
                if (first != null) {
                    r.report("CNI063", doc, at, "plugin type \"" + type + "\" appears twice (plugins[" + first.index()
                            + "] and plugins[" + pl.index() + "]): both run on every ADD and DEL, so the second "
                            + "redoes or undoes the first's work; merge them into one entry");
                }
            }
            if (type.equals("firewall")) {
                JsonNode b = n.get("backend");
                if (b != null && !b.isNull() && !(b.isTextual() && FIREWALL_BACKENDS.contains(b.asText()))) {
                    r.report("CNI064", doc, SourceDoc.child(pl.pointer(), "backend"), "firewall backend " + b
                            + " is not \"iptables\" or \"firewalld\": the plugin silently falls back to firewalld "
                            + "if it is running, else iptables; write \"" + suggestBackend(b.asText()) + "\"");
                }
            }
        }
    }

    private static boolean hasStaticRates(JsonNode n) {
        for (String k : new String[] {"ingressRate", "ingressBurst", "egressRate", "egressBurst"}) {
            if (n.has(k)) {
                return true;
            }
        }
        return false;
    }

    private static String capsPointer(SourceDoc doc, CniConfig.Plugin pl, String cap) {
        String cp = SourceDoc.child(pl.pointer(), "capabilities");
        String capp = SourceDoc.child(cp, cap);
        if (doc.valueRanges().containsKey(capp)) {
            return capp;
        }
        return doc.valueRanges().containsKey(cp) ? cp : CniRules.anchor(doc, pl.pointer());
    }

    private static String suggestBackend(String b) {
        return b.toLowerCase(java.util.Locale.ROOT).startsWith("f") ? "firewalld" : "iptables";
    }
}
