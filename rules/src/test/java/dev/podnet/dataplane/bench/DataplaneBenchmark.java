package dev.podnet.dataplane.bench;

import dev.podnet.dataplane.Addresses;
import dev.podnet.dataplane.NodeNetwork;
import dev.podnet.dataplane.NodeNetwork.Link;
import dev.podnet.dataplane.NodeNetwork.Route;
import dev.podnet.dataplane.netfilter.IpsetModel;
import dev.podnet.dataplane.netfilter.IptablesSaveParser;
import dev.podnet.dataplane.netfilter.Packet;
import dev.podnet.dataplane.netfilter.PacketPath;
import dev.podnet.dataplane.netfilter.Ruleset;
import dev.podnet.dataplane.netfilter.Verdict;
import dev.podnet.dataplane.ruleset.AllowPolicy;
import dev.podnet.dataplane.ruleset.AllowPolicy.Allow;
import dev.podnet.dataplane.ruleset.AllowPolicy.Block;
import dev.podnet.dataplane.ruleset.AllowPolicy.PortSpec;
import dev.podnet.dataplane.ruleset.WhitelistGenerator;
import inet.ipaddr.IPAddress;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Benchmark harness (not a test): generates the whitelist for PODS local pods and POLICIES policies (each selects
 * 10 pods, allows ingress from 50 pods on tcp/80 and from an ipBlock with one except on tcp/443; every fifth also
 * restricts egress to udp/53), parses the generated iptables-restore and ipset input back, and walks PACKETS
 * random pod-to-pod packets through the node. Prints rule/set counts and wall times.
 *
 * <p>Run: {@code mvn -B -o -q test-compile -pl rules && mvn -B -o -q exec:java -pl rules
 * -Dexec.classpathScope=test -Dexec.mainClass=dev.podnet.dataplane.bench.DataplaneBenchmark
 * [-Dexec.args="5000 1000 100000"]}.
 */
public final class DataplaneBenchmark {
    private DataplaneBenchmark() {
    }

    public static void main(String[] args) {
        int pods = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
        int policies = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        int packets = args.length > 2 ? Integer.parseInt(args[2]) : 100_000;
        Random r = new Random(42);
        List<IPAddress> podIps = new ArrayList<>();
        List<Link> links = new ArrayList<>(List.of(Link.of("eth0", "device", "192.0.2.11/24"),
                Link.of("cni0", "bridge", "10.64.0.1/16")));
        for (int i = 0; i < pods; i++) {
            IPAddress ip = Addresses.address("10.64." + ((i + 2) / 256) + "." + ((i + 2) % 256));
            podIps.add(ip);
            links.add(Link.port("veth" + Integer.toHexString(i), "cni0", true, Addresses.text(ip)));
        }
        NodeNetwork node = new NodeNetwork("bench", links, Map.of(), List.of(Route.of("default", "eth0")));
        List<AllowPolicy> pols = new ArrayList<>();
        for (int p = 0; p < policies; p++) {
            List<IPAddress> sel = pick(r, podIps, 10);
            List<IPAddress> peers = pick(r, podIps, 50);
            Allow fromPods = new Allow(false, peers, List.of(), List.of(PortSpec.of("tcp", 80)));
            Allow fromBlock = new Allow(false, List.of(), List.of(new Block(Addresses.block("192.0.2.0/24"),
                    List.of(Addresses.block("192.0.2." + r.nextInt(256) + "/32")))), List.of(PortSpec.of("tcp", 443)));
            boolean egress = p % 5 == 0;
            pols.add(new AllowPolicy("ns" + (p % 50) + "/pol" + p, sel, true, egress, List.of(fromPods, fromBlock),
                    egress ? List.of(new Allow(true, List.of(), List.of(), List.of(PortSpec.of("udp", 53))))
                            : List.of()));
        }

        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        long c0 = mx.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        WhitelistGenerator.Output out = WhitelistGenerator.generate(podIps, pols);
        long t1 = System.nanoTime();
        long c1 = mx.getCurrentThreadCpuTime();
        Ruleset rs = IptablesSaveParser.parse(List.of(
                "*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\nCOMMIT\n",
                out.iptablesRestore()));
        long t1b = System.nanoTime();
        IpsetModel sets = IpsetModel.parse(out.ipsetRestore());
        long t2 = System.nanoTime();
        long c2 = mx.getCurrentThreadCpuTime();
        PacketPath path = new PacketPath(node, rs, sets);
        Map<Verdict.Outcome, Integer> counts = new EnumMap<>(Verdict.Outcome.class);
        for (int i = 0; i < packets; i++) {
            IPAddress s = podIps.get(r.nextInt(pods));
            IPAddress d = podIps.get(r.nextInt(pods));
            if (s.equals(d)) {
                continue;
            }
            Verdict v = path.walk(new Packet(s, d, "tcp", 40000, r.nextBoolean() ? 80 : 8080, null, null, null, null,
                    false, dev.podnet.dataplane.netfilter.CtState.NEW, 0));
            counts.merge(v.outcome(), 1, Integer::sum);
        }
        long t3 = System.nanoTime();
        long c3 = mx.getCurrentThreadCpuTime();
        System.out.printf("pods=%d policies=%d%n", pods, policies);
        System.out.printf("rules=%d sets=%d iptables-restore=%d bytes ipset-restore=%d bytes%n", out.ruleCount(),
                out.setCount(), out.iptablesRestore().length(), out.ipsetRestore().length());
        System.out.printf("generate: %.1f ms (cpu %.1f ms)%n", (t1 - t0) / 1e6, (c1 - c0) / 1e6);
        System.out.printf("parse iptables: %.1f ms, ipset: %.1f ms (problems: %d + %d)%n", (t1b - t1) / 1e6,
                (t2 - t1b) / 1e6, rs.problems().size(), sets.problems().size());
        System.out.printf("parse cpu: %.1f ms%n", (c2 - c1) / 1e6);
        System.out.printf("walk %d packets: %.1f ms (%.1f us/packet; cpu %.1f us/packet) verdicts=%s%n", packets,
                (t3 - t2) / 1e6, (t3 - t2) / 1e3 / packets, (c3 - c2) / 1e3 / packets, counts);
        System.out.printf("load average: %.1f on %d cpus%n",
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                Runtime.getRuntime().availableProcessors());
    }

    private static List<IPAddress> pick(Random r, List<IPAddress> from, int n) {
        List<IPAddress> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(from.get(r.nextInt(from.size())));
        }
        return out;
    }
}
