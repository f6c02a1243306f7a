package dev.podnet.dataplane.netns;

import dev.podnet.dataplane.Addresses.IfAddress;
import java.util.List;

/**
 * The ordered steps that attach one pod, as {@link NetnsPlanner} computed them.
 *
 * @param pod          the pod
 * @param network      the CNI network name
 * @param steps        steps in execution order; a {@link NetnsStep.Fail} is always last
 * @param podAddresses the addresses the pod's interface got (empty when IPAM failed or is not simulated)
 * @param hostLink     the host-side link of the pod (veth name), or null (macvlan, failure)
 */
public record NetnsPlan(PodRef pod, String network, List<NetnsStep> steps, List<IfAddress> podAddresses,
                        String hostLink) {
    public NetnsPlan {
        steps = List.copyOf(steps);
        podAddresses = List.copyOf(podAddresses);
    }

    /** True when a plugin fails (the last step is a {@link NetnsStep.Fail}). */
    public boolean failed() {
        return !steps.isEmpty() && steps.get(steps.size() - 1) instanceof NetnsStep.Fail;
    }

    /** The plan as a shell script fragment: a comment per step followed by its commands. */
    public String script() {
        StringBuilder b = new StringBuilder("# pod ").append(pod.namespace()).append('/').append(pod.name())
                .append(" on network ").append(network).append('\n');
        for (NetnsStep s : steps) {
            b.append("# [").append(s.actor()).append("] ").append(s.describe()).append('\n');
            for (String c : s.commands()) {
                if (!c.startsWith("#")) {
                    b.append(c).append('\n');
                }
            }
        }
        return b.toString();
    }
}
