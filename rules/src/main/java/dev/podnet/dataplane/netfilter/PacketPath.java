package dev.podnet.dataplane.netfilter;

import dev.podnet.dataplane.Addresses;
import dev.podnet.dataplane.NodeNetwork;
import dev.podnet.dataplane.NodeNetwork.Link;
import dev.podnet.dataplane.netfilter.Netfilter.Hook;
import dev.podnet.dataplane.netfilter.Netfilter.HookResult;
import inet.ipaddr.IPAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Chooses the netfilter path of a packet on one node from the node's links and sysctls, and walks it through
 * {@link Netfilter}. The packet's source decides where it enters: a pod behind a bridge port, the node itself
 * (OUTPUT), or a remote host (arriving on the route device towards its source).
 *
 * <p>Paths (see the notes on br_netfilter in {@code net/bridge/br_netfilter_hooks.c}):
 * <ul>
 *   <li>bridged pod to pod on one bridge, {@code bridge-nf-call-iptables=1}: PREROUTING, FORWARD, POSTROUTING
 *       with the bridge as in and out interface and the veths as physdev-in/out ({@code --physdev-is-bridged});
 *       with {@code bridge-nf-call-iptables=0} the frame skips iptables entirely (ACCEPT plus a warning).</li>
 *   <li>pod to a Service address DNATed to a pod on the same bridge ("bridged DNAT"): PREROUTING, then the frame
 *       is bridged again; when the new destination is behind the port the frame came in on and that port's
 *       hairpin mode is off, the bridge drops it before FORWARD.</li>
 *   <li>pod to another node / outside: PREROUTING, routing ({@code ip_forward=0} drops), FORWARD with out = the
 *       route device, POSTROUTING.</li>
 *   <li>pod to a node address: PREROUTING, INPUT.</li>
 *   <li>node to pod (or anywhere): OUTPUT, POSTROUTING.</li>
 *   <li>remote to pod: PREROUTING, routing ({@code ip_forward=0} drops), FORWARD, POSTROUTING.</li>
 * </ul>
 * Node to itself is not modelled (UNKNOWN).
 */
public final class PacketPath {
    private final NodeNetwork node;
    private final Netfilter netfilter;

    /**
     * @param node      the node's links and sysctls
     * @param ruleset   the node's iptables ruleset
     * @param ipsets    the node's ipsets
     */
    public PacketPath(NodeNetwork node, Ruleset ruleset, IpsetModel ipsets) {
        this.node = node;
        this.netfilter = new Netfilter(ruleset, new MatchContext(ipsets, node));
    }

    /** The evaluator used for each hook. */
    public Netfilter netfilter() {
        return netfilter;
    }

    private final class Walk {
        final List<TraceStep> trace;
        final List<String> warnings = new ArrayList<>();
        Packet p;

        Walk(Packet p) {
            this(p, true);
        }

        Walk(Packet p, boolean traced) {
            this.p = p;
            this.trace = traced ? new ArrayList<>() : Netfilter.NO_TRACE;
        }

        Verdict event(Verdict.Outcome o, String what, String reason) {
            trace.add(new TraceStep("", what, 0, reason, o.name()));
            return new Verdict(o, reason, trace, p, warnings);
        }

        /** Runs a hook; returns a final verdict, or null to continue. */
        Verdict hook(Hook h) {
            HookResult r = netfilter.hook(h, p, trace);
            p = r.packet();
            return switch (r.outcome()) {
                case CONTINUE -> null;
                case DROP -> new Verdict(Verdict.Outcome.DROP, r.reason(), trace, p, warnings);
                case REJECT -> new Verdict(Verdict.Outcome.REJECT, r.reason(), trace, p, warnings);
                case UNKNOWN -> new Verdict(Verdict.Outcome.UNKNOWN, r.reason(), trace, p, warnings);
            };
        }

        Verdict delivered(String where) {
            trace.add(new TraceStep("", "deliver", 0, where, "ACCEPT"));
            return new Verdict(Verdict.Outcome.ACCEPT, "delivered " + where, trace, p, warnings);
        }
    }

    /**
     * Walks {@code packet} (its src, dst, protocol, ports, ctstate and mark are used; interfaces are set here).
     */
    public Verdict walk(Packet packet) {
        return walk(packet, true);
    }

    /**
     * Walks {@code packet} as {@link #walk(Packet)} does; with {@code traced} false the verdict's trace is empty and
     * nothing is formatted for it (same outcome, reason and packet), for whole verdict tables.
     */
    public Verdict walk(Packet packet, boolean traced) {
        Walk w = new Walk(packet.withInterfaces(null, null).withPhysdev(null, null, false), traced);
        Optional<Link> srcPort = node.portForPod(packet.src());
        if (srcPort.isPresent()) {
            return fromPod(w, srcPort.get());
        }
        if (node.isLocal(packet.src())) {
            return fromNode(w);
        }
        return fromRemote(w);
    }

    private Verdict fromPod(Walk w, Link in) {
        if (in.master() == null) {
            return fromRoutedPod(w, in);
        }
        String bridge = in.master();
        boolean brnf = node.bridgeNfCallIptables();
        IPAddress origDst = w.p.dst();
        if (origDst.equals(w.p.src())) {
            return w.delivered("inside the pod's own network namespace (lo); no node hook is crossed");
        }
        Optional<Link> l2Port = node.portForPod(origDst).filter(l -> bridge.equals(l.master()));
        if (l2Port.isPresent() && !brnf) {
            w.warnings.add(NodeNetwork.BRIDGE_NF_CALL_IPTABLES + "=0 on " + node.name()
                    + ": pod-to-pod traffic on bridge " + bridge + " is not filtered by iptables");
            w.trace.add(new TraceStep("", "bridge", 0, "frame bridged " + in.name() + " -> " + l2Port.get().name()
                    + " on " + bridge + " without iptables (" + NodeNetwork.BRIDGE_NF_CALL_IPTABLES + "=0)", ""));
            return w.delivered("to pod " + Addresses.text(origDst) + " via " + l2Port.get().name());
        }
        w.p = w.p.withInterfaces(bridge, null).withPhysdev(brnf ? in.name() : null, null, false);
        Verdict v = w.hook(Hook.PREROUTING);
        if (v != null) {
            return v;
        }
        IPAddress dst = w.p.dst();
        if (node.isLocal(dst)) {
            v = w.hook(Hook.INPUT);
            return v != null ? v : w.delivered("to the node (" + Addresses.text(dst) + ")");
        }
        Optional<Link> outPort = node.portForPod(dst).filter(l -> bridge.equals(l.master()));
        if (outPort.isPresent() && (l2Port.isPresent() || brnf)) {
            // bridged, or bridged again after DNAT (br_nf_pre_routing_finish_bridge)
            Link out = outPort.get();
            if (out.name().equals(in.name()) && !in.hairpin()) {
                return w.event(Verdict.Outcome.DROP, "bridge", "bridge " + bridge + " does not send the frame back"
                        + " out of port " + in.name() + " it came in on (hairpin mode off)");
            }
            w.p = w.p.withInterfaces(bridge, bridge).withPhysdev(in.name(), out.name(), true);
        } else {
            Optional<String> dev = outPort.isPresent() ? Optional.of(bridge) : outDevice(dst);
            if (dev.isEmpty()) {
                return w.event(Verdict.Outcome.DROP, "routing", "no route to " + Addresses.text(dst));
            }
            if (!node.ipForward()) {
                return w.event(Verdict.Outcome.DROP, "routing", NodeNetwork.IP_FORWARD + "=0 on " + node.name()
                        + ": the node does not forward the packet to " + dev.get());
            }
            w.p = w.p.withInterfaces(bridge, dev.get()).withPhysdev(brnf ? in.name() : null, null, false);
        }
        return forward(w);
    }

    private Verdict fromRoutedPod(Walk w, Link in) {
        if (w.p.dst().equals(w.p.src())) {
            return w.delivered("inside the pod's own network namespace (lo); no node hook is crossed");
        }
        w.p = w.p.withInterfaces(in.name(), null);
        Verdict v = w.hook(Hook.PREROUTING);
        if (v != null) {
            return v;
        }
        IPAddress dst = w.p.dst();
        if (node.isLocal(dst)) {
            v = w.hook(Hook.INPUT);
            return v != null ? v : w.delivered("to the node (" + Addresses.text(dst) + ")");
        }
        Optional<String> dev = outDevice(dst);
        if (dev.isEmpty()) {
            return w.event(Verdict.Outcome.DROP, "routing", "no route to " + Addresses.text(dst));
        }
        if (!node.ipForward()) {
            return w.event(Verdict.Outcome.DROP, "routing", NodeNetwork.IP_FORWARD + "=0 on " + node.name()
                    + ": the node does not forward the packet from " + in.name() + " to " + dev.get());
        }
        w.p = w.p.withInterfaces(in.name(), dev.get());
        return forward(w);
    }

    private Verdict forward(Walk w) {
        Verdict v = w.hook(Hook.FORWARD);
        if (v != null) {
            return v;
        }
        v = w.hook(Hook.POSTROUTING);
        if (v != null) {
            return v;
        }
        return w.delivered("out of " + w.p.outInterface()
                + (w.p.physdevOut() != null ? " port " + w.p.physdevOut() : "") + " to " + Addresses.text(w.p.dst()));
    }

    private Optional<String> outDevice(IPAddress dst) {
        Optional<Link> port = node.portForPod(dst);
        if (port.isPresent()) {
            return Optional.of(port.get().master() != null ? port.get().master() : port.get().name());
        }
        return node.routeDevice(dst);
    }

    private Verdict fromNode(Walk w) {
        if (node.isLocal(w.p.dst())) {
            return w.event(Verdict.Outcome.UNKNOWN, "routing", "node to its own address (lo) is not modelled");
        }
        Optional<String> dev = outDevice(w.p.dst());
        if (dev.isEmpty()) {
            return w.event(Verdict.Outcome.DROP, "routing", "no route to " + Addresses.text(w.p.dst()));
        }
        w.p = w.p.withInterfaces(null, dev.get());
        Verdict v = w.hook(Hook.OUTPUT);
        if (v != null) {
            return v;
        }
        Optional<String> dev2 = outDevice(w.p.dst());
        if (dev2.isEmpty()) {
            return w.event(Verdict.Outcome.DROP, "routing", "no route to " + Addresses.text(w.p.dst()));
        }
        w.p = w.p.withInterfaces(null, dev2.get());
        v = w.hook(Hook.POSTROUTING);
        if (v != null) {
            return v;
        }
        return w.delivered("out of " + w.p.outInterface() + " to " + Addresses.text(w.p.dst()));
    }

    private Verdict fromRemote(Walk w) {
        Optional<String> in = node.routeDevice(w.p.src());
        if (in.isEmpty()) {
            return w.event(Verdict.Outcome.DROP, "routing", "no route back to " + Addresses.text(w.p.src())
                    + " (reverse path)");
        }
        w.p = w.p.withInterfaces(in.get(), null);
        Verdict v = w.hook(Hook.PREROUTING);
        if (v != null) {
            return v;
        }
        if (node.isLocal(w.p.dst())) {
            v = w.hook(Hook.INPUT);
            return v != null ? v : w.delivered("to the node (" + Addresses.text(w.p.dst()) + ")");
        }
        Optional<String> dev = outDevice(w.p.dst());
        if (dev.isEmpty()) {
            return w.event(Verdict.Outcome.DROP, "routing", "no route to " + Addresses.text(w.p.dst()));
        }
        if (!node.ipForward()) {
            return w.event(Verdict.Outcome.DROP, "routing", NodeNetwork.IP_FORWARD + "=0 on " + node.name()
                    + ": the node does not forward the packet to " + dev.get());
        }
        w.p = w.p.withInterfaces(in.get(), dev.get());
        return forward(w);
    }

    /** Walks {@code p} through an explicit list of hooks with the interfaces it already carries. */
    public Verdict walkHooks(Packet p, List<Hook> hooks) {
        Walk w = new Walk(p);
        for (Hook h : hooks) {
            Verdict v = w.hook(h);
            if (v != null) {
                return v;
            }
        }
        return w.delivered("after " + hooks);
    }
}
