package dev.podnet.lint;

import java.util.ArrayList;
import java.util.List;

/**
 * The list of every check family podnet runs, in order. A family adds itself here.
 */
public final class Checks {
    private Checks() {
    }

    /** Every check, freshly constructed. */
    public static List<Check> all() {
        List<Check> all = new ArrayList<>();
        all.add(new dev.podnet.cni.schema.CniSchemaCheck());
        all.add(new dev.podnet.cni.CniRules());
        all.add(new dev.podnet.cni.NetDirRules());
        all.add(new dev.podnet.node.NodeRules());
        all.add(new dev.podnet.dataplane.DataPlaneCheck());
        all.add(new dev.podnet.config.ProjectConfigCheck());
        all.add(new dev.podnet.reach.ReachabilityCheck());
        all.add(new dev.podnet.netpol.NetworkPolicyValidation());
        all.add(new dev.podnet.inventory.InventoryValidation());
        all.add(new dev.podnet.netpol.NetworkPolicyLint());
        return all;
    }
}
