package dev.podnet.bench;

import dev.podnet.cli.PodnetCli;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Lint benchmark: generates {@code --files} (default 1,000) varied CNI configuration files in a temporary
 * directory, laid out as {@code node-NNN/net.d/} directories of four files each (so the directory rules run too),
 * and lints them {@code --runs} times (default 5) in this one JVM through the CLI entry point
 * ({@code PodnetCli.run("lint", "--format", "json", dir)}, output discarded). It prints the wall time of every run,
 * measured from the start of the run (after JVM start), the first run (cold: class loading and JIT included), and
 * the best run. The files: flannel, bridge + host-local with portmap/firewall/tuning/bandwidth, ptp, calico,
 * macvlan + static, ipvlan + dhcp, host-device, loopback; about one in twenty has a mistake (syntax error, wrong
 * extension, host bits, hairpin off, portmap without capabilities). Fixed seed: every run lints the same files.
 *
 * <p>Usage: {@code LintBenchmark [--files N] [--runs N] [--keep]}; see {@code bench/README.md}.
 */
public final class LintBenchmark {

    private LintBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        int files = 1000;
        int runs = 5;
        boolean keep = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--files" -> files = Integer.parseInt(args[++i]);
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--keep" -> keep = true;
                default -> throw new IllegalArgumentException("usage: LintBenchmark [--files N] [--runs N] [--keep]");
            }
        }
        long jvmStartMs = ManagementFactory.getRuntimeMXBean().getUptime();
        Path root = Files.createTempDirectory("podnet-bench");
        long bytes = generate(root, files, new Random(20240415L));
        System.out.printf("generated %d files (%.1f KiB) in %s; JVM up for %d ms before the first run; %d CPUs%n",
                files, bytes / 1024.0, root, jvmStartMs, Runtime.getRuntime().availableProcessors());
        long best = Long.MAX_VALUE;
        long first = -1;
        int diagnostics = -1;
        for (int r = 1; r <= runs; r++) {
            StringWriter out = r == 1 ? new StringWriter() : null;
            long c0 = cpuNanos();
            long t0 = System.nanoTime();
            int code = PodnetCli.run(new String[] {"lint", "--format", "json", root.toString()},
                    new PrintWriter(out == null ? Writer.nullWriter() : out), new PrintWriter(Writer.nullWriter()));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            long cpuMs = (cpuNanos() - c0) / 1_000_000;
            if (code == PodnetCli.CANNOT_RUN) {
                throw new IllegalStateException("podnet could not run on " + root);
            }
            if (out != null) {
                diagnostics = countDiagnostics(out.toString());
                first = ms;
            }
            best = Math.min(best, ms);
            System.out.printf("run %d: %d ms wall, %d ms CPU of this process (exit code %d)%n", r, ms, cpuMs, code);
        }
        System.out.printf("%d files, %d findings: first run %d ms, best of %d runs %d ms%n", files, diagnostics, first,
                runs, best);
        if (!keep) {
            try (Stream<Path> s = Files.walk(root)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    /** CPU time of the whole process (all threads, GC and JIT included), or 0 when the JVM cannot tell. */
    private static long cpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return Math.max(0, os.getProcessCpuTime());
        }
        return 0;
    }

    private static int countDiagnostics(String json) {
        int n = 0;
        for (int i = json.indexOf("\"rule\""); i >= 0; i = json.indexOf("\"rule\"", i + 1)) {
            n++;
        }
        return n;
    }

    /** Writes {@code count} files under {@code root}; returns the number of bytes written. */
    static long generate(Path root, int count, Random rnd) throws IOException {
        long bytes = 0;
        for (int i = 0; i < count; i++) {
            Path dir = root.resolve(String.format("node-%03d/net.d", i / 4));
            Files.createDirectories(dir);
            GeneratedFile f = file(i, rnd);
            bytes += Files.writeString(dir.resolve(f.name()), f.content()).toFile().length();
        }
        return bytes;
    }

    record GeneratedFile(String name, String content) {
    }

    private static final String[] VERSIONS = {"0.3.1", "0.4.0", "1.0.0", "1.0.0", "1.1.0"};

    private static GeneratedFile file(int i, Random rnd) {
        String version = VERSIONS[rnd.nextInt(VERSIONS.length)];
        int a = rnd.nextInt(250) + 1;
        int b = rnd.nextInt(250);
        boolean mistake = rnd.nextInt(20) == 0;
        int kind = rnd.nextInt(9);
        String prefix = String.format("%02d-", 10 + rnd.nextInt(80));
        String name;
        String body;
        switch (kind) {
            case 0 -> {
                name = prefix + "flannel.conflist";
                body = """
                        {
                          "name": "cbr0",
                          "cniVersion": "%s",
                          "plugins": [
                            {"type": "flannel", "delegate": {"hairpinMode": %s, "isDefaultGateway": true}},
                            {"type": "portmap", "capabilities": {"portMappings": true}}
                          ]
                        }
                        """.formatted(version, mistake ? "false" : "true");
            }
            case 1 -> {
                name = prefix + "bridge-" + i + ".conflist";
                body = """
                        {
                          "cniVersion": "%s",
                          "name": "net-%d",
                          "plugins": [
                            {
                              "type": "bridge",
                              "bridge": "br%d",
                              "isGateway": true,
                              "ipMasq": true,
                              "hairpinMode": true,
                              "mtu": 1450,
                              "ipam": {
                                "type": "host-local",
                                "ranges": [[{"subnet": "10.%d.%d.%s/24", "rangeStart": "10.%d.%d.10",
                                             "rangeEnd": "10.%d.%d.200"}],
                                           [{"subnet": "fd00:%x:%x::/64"}]],
                                "routes": [{"dst": "0.0.0.0/0"}, {"dst": "::/0"}]
                              }
                            },
                            {"type": "tuning", "sysctl": {"net.core.somaxconn": "1024"}},
                            {"type": "portmap", "snat": true, "capabilities": {"portMappings": true}},
                            {"type": "bandwidth", "capabilities": {"bandwidth": true}},
                            {"type": "firewall", "backend": "iptables"}
                          ]
                        }
                        """.formatted(version, i, i % 1000, a, b, mistake ? "7" : "0", a, b, a, b, a, b);
            }
            case 2 -> {
                name = prefix + "ptp.conflist";
                body = """
                        {"cniVersion": "%s", "name": "ptp-%d", "plugins": [
                          {"type": "ptp", "ipMasq": true, "mtu": 1460,
                           "ipam": {"type": "host-local", "subnet": "10.244.%d.0/24",
                                    "routes": [{"dst": "0.0.0.0/0"}], "dataDir": "/run/cni-ipam-state"}},
                          {"type": "portmap"%s}]}
                        """.formatted(version, i, b, mistake ? "" : ", \"capabilities\": {\"portMappings\": true}");
            }
            case 3 -> {
                name = prefix + "calico.conflist";
                body = """
                        {
                          "name": "k8s-pod-network",
                          "cniVersion": "%s",
                          "plugins": [
                            {
                              "type": "calico",
                              "log_level": "info",
                              "datastore_type": "kubernetes",
                              "nodename": "node-%d",
                              "mtu": 0,
                              "ipam": {"type": "calico-ipam", "assign_ipv4": "true"},
                              "policy": {"type": "k8s"},
                              "kubernetes": {"kubeconfig": "/etc/cni/net.d/calico-kubeconfig"}
                            },
                            {"type": "portmap", "snat": true, "capabilities": {"portMappings": true}},
                            {"type": "bandwidth", "capabilities": {"bandwidth": true}}
                          ]
                        }
                        """.formatted(version, i);
            }
            case 4 -> {
                name = prefix + "macvlan.conf";
                body = """
                        {"cniVersion": "%s", "name": "storage-%d", "type": "macvlan", "master": "eth1", "mode": "bridge",
                         "ipam": {"type": "static", "addresses": [{"address": "192.168.%d.%d/24",
                                  "gateway": "192.168.%d.1"}], "routes": [{"dst": "0.0.0.0/0"}]}}
                        """.formatted(version, i, a, b + 2, a);
            }
            case 5 -> {
                name = prefix + "ipvlan.conf";
                body = """
                        {"cniVersion": "%s", "name": "ipvl-%d", "type": "ipvlan", "master": "eth0", "mode": "l2",
                         "ipam": {"type": "dhcp"}}
                        """.formatted(version, i);
            }
            case 6 -> {
                name = prefix + "hostdev.conflist";
                body = """
                        {"cniVersion": "%s", "name": "sriov-%d", "plugins": [
                          {"type": "host-device", "device": "ens%df0",
                           "ipam": {"type": "host-local", "subnet": "172.16.%d.0/24"}},
                          {"type": "sbr"}]}
                        """.formatted(version, i, a % 10, b);
            }
            case 7 -> {
                name = "99-loopback.conf";
                body = "{\"cniVersion\": \"%s\", \"name\": \"lo\", \"type\": \"loopback\"}\n".formatted(version);
            }
            default -> {
                name = prefix + "vlan.conflist";
                body = """
                        {"cniVersion": "%s", "name": "vlan-%d", "plugins": [
                          {"type": "vlan", "master": "eth0", "vlanId": %d, "mtu": 1500,
                           "ipam": {"type": "host-local", "subnet": "10.%d.%d.0/24", "gateway": "10.%d.%d.1"}}]}
                        """.formatted(version, i, 1 + a * 10, a, b, a, b);
            }
        }
        if (mistake && rnd.nextBoolean()) {
            // a syntax slip or a wrong extension instead
            if (rnd.nextBoolean()) {
                body = body.replaceFirst("\"name\"", "\"name");
            } else if (name.endsWith(".conflist")) {
                name = name.replace(".conflist", ".conf");
            }
        }
        return new GeneratedFile(name, body);
    }
}
