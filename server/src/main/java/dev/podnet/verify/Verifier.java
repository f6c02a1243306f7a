package dev.podnet.verify;

import dev.podnet.exec.ExecException;
import dev.podnet.exec.ExecResult;
import dev.podnet.exec.LocalRunner;
import dev.podnet.inventory.Entities.ContainerPort;
import dev.podnet.inventory.Inventory;
import dev.podnet.verify.SandboxPlan.PodPlan;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code podnet verify}: runs an inventory in a {@link Sandbox}, probes every ordered pod pair with real packets and
 * compares the kernel's verdicts with an {@link ExpectedVerdicts}.
 */
public final class Verifier {
    /** Programs verify runs (all on PATH). */
    public static final List<String> TOOLS = List.of("ip", "socat", "ss", "sysctl", "iptables-restore",
            "iptables-save", "ipset");

    private Verifier() {
    }

    /**
     * A probe whose kernel verdict differs from the expectation.
     *
     * @param probe    port and protocol
     * @param from     source pod key
     * @param to       destination pod key
     * @param kernel   what the kernel did
     * @param expected what was expected
     */
    public record Disagreement(Probe probe, String from, String to, Verdict kernel, Verdict expected) {
        @Override
        public String toString() {
            return "[" + probe + "] " + from + " -> " + to + ": kernel " + kernel.text() + ", expected "
                    + expected.text();
        }
    }

    /**
     * The outcome of a run.
     *
     * @param kernel        the kernel's verdicts
     * @param probes        the probes, in order
     * @param disagreements every probe where the kernel and the expectation differ
     * @param compared      how many probes had an expectation
     * @param notes         things worth saying (pods left out, pairs without expectation, probes not probed)
     * @param prefix        the run's namespace prefix
     * @param millis        wall time of the whole run
     */
    public record Result(VerdictTable kernel, List<Probe> probes, List<Disagreement> disagreements, int compared,
                         List<String> notes, String prefix, long millis) {
    }

    /**
     * The default plugin directory: {@code /opt/cni/bin} when it holds {@code bridge}, else {@code /usr/lib/cni}.
     */
    public static String defaultPluginDir() {
        return Files.isExecutable(Path.of("/opt/cni/bin/bridge")) ? "/opt/cni/bin" : "/usr/lib/cni";
    }

    /**
     * Checks what verify needs before anything is created: root, the {@link #TOOLS}, and the {@code bridge} and
     * {@code host-local} plugins in the plugin directory.
     *
     * @throws VerifyException naming what is missing
     */
    public static void preflight(String pluginDir) throws VerifyException {
        LocalRunner local = new LocalRunner();
        try {
            ExecResult id = local.run(List.of("id", "-u"), Duration.ofSeconds(10));
            if (!id.out().strip().equals("0")) {
                throw new VerifyException("verify needs root (it creates network namespaces); run it with sudo");
            }
        } catch (ExecException e) {
            throw new VerifyException("cannot run id: " + e.getMessage(), e);
        }
        for (String t : TOOLS) {
            if (!onPath(t)) {
                throw new VerifyException("verify needs '" + t + "' (packages: iproute2, socat, procps, iptables, "
                        + "ipset)");
            }
        }
        for (String p : List.of("bridge", "host-local")) {
            if (!Files.isExecutable(Path.of(pluginDir, p))) {
                throw new VerifyException("failed to find plugin \"" + p + "\" in path [" + pluginDir + "] (install "
                        + "containernetworking-plugins or pass --plugins DIR)");
            }
        }
    }

    static boolean onPath(String p) {
        String path = System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/sbin:/usr/bin:/bin";
        for (String d : path.split(":")) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, p))) {
                return true;
            }
        }
        return false;
    }

    /**
     * The probes to run: the explicit ones; else those the expectation lists; else every distinct container port
     * of the pods that take part (sorted by port, then TCP, UDP, SCTP).
     */
    public static List<Probe> chooseProbes(List<Probe> explicit, ExpectedVerdicts expected, SandboxPlan plan) {
        if (!explicit.isEmpty()) {
            return List.copyOf(new LinkedHashSet<>(explicit));
        }
        if (!expected.probes().isEmpty()) {
            return expected.probes();
        }
        Set<Probe> out = new LinkedHashSet<>();
        for (PodPlan p : plan.pods()) {
            for (ContainerPort cp : p.pod().ports()) {
                out.add(new Probe(cp.port(), cp.protocol()));
            }
        }
        List<Probe> sorted = new ArrayList<>(out);
        sorted.sort(Comparator.comparingInt(Probe::port).thenComparing(p -> List.of("TCP", "UDP", "SCTP")
                .indexOf(p.protocol())));
        return sorted;
    }

    /**
     * Runs the inventory for real and compares.
     *
     * @param inv      the cluster (pods with IPs, namespaces, policies, Services)
     * @param explicit probes given on the command line (may be empty)
     * @param expected what the kernel should do
     * @param options  sandbox options
     * @throws VerifyException when the sandbox could not be built or probed (everything created is removed)
     */
    public static Result run(Inventory inv, List<Probe> explicit, ExpectedVerdicts expected, Sandbox.Options options)
            throws VerifyException {
        return run(inv, explicit, expected, options, Sandbox.newPrefix());
    }

    /**
     * {@link #run(Inventory, List, ExpectedVerdicts, Sandbox.Options)} with a given namespace prefix (tests use it to
     * check that nothing with their prefix is left behind).
     *
     * @param prefix namespace prefix such as {@code pnv-abc123-}: letters, digits and '-', at most 20 characters
     */
    public static Result run(Inventory inv, List<Probe> explicit, ExpectedVerdicts expected, Sandbox.Options options,
                             String prefix) throws VerifyException {
        if (!prefix.matches("[a-z0-9][a-z0-9-]{0,19}")) {
            throw new IllegalArgumentException("invalid namespace prefix '" + prefix + "'");
        }
        long t0 = System.nanoTime();
        preflight(options.pluginDir());
        SandboxPlan plan = SandboxPlan.plan(inv, prefix);
        List<Probe> probes = chooseProbes(explicit, expected, plan);
        if (probes.isEmpty()) {
            throw new VerifyException("nothing to probe: no --probe given, no expectation, and the pods declare no "
                    + "container ports");
        }
        List<String> notes = new ArrayList<>();
        plan.skipped().forEach(s -> notes.add("pod left out: " + s));
        VerdictTable kernel = new VerdictTable("kernel");
        try (Sandbox sb = Sandbox.create(plan, options)) {
            sb.startListeners(probes);
            sb.probeAll(probes, kernel);
        }
        List<Disagreement> out = new ArrayList<>();
        int compared = 0;
        int missing = 0;
        List<String> pods = plan.pods().stream().map(PodPlan::key).sorted(VerdictTable.POD_ORDER).toList();
        for (Probe p : probes) {
            String reason = kernel.notProbedReason(p);
            if (reason != null) {
                notes.add("[" + p + "] not probed: " + reason);
                continue;
            }
            for (String from : pods) {
                for (String to : pods) {
                    Verdict want = expected.expect(from, to, p.port(), p.protocol());
                    if (want == null) {
                        missing++;
                        continue;
                    }
                    compared++;
                    Verdict got = kernel.get(p, from, to);
                    if (got != want) {
                        out.add(new Disagreement(p, from, to, got, want));
                    }
                }
            }
        }
        if (expected instanceof VerdictTable t) {
            Set<String> extra = new LinkedHashSet<>(t.pods());
            pods.forEach(extra::remove);
            if (!extra.isEmpty()) {
                notes.add(t.describe() + " lists pods that did not run in the sandbox: " + String.join(", ", extra));
            }
        }
        if (missing > 0 && compared > 0) {
            notes.add(missing + " probe(s) have no expectation in " + expected.describe());
        }
        return new Result(kernel, probes, out, compared, notes, prefix, (System.nanoTime() - t0) / 1_000_000);
    }
}
