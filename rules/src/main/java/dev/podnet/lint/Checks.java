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
        all.add(new dev.podnet.netpol.NetworkPolicyValidation());
        all.add(new dev.podnet.netpol.NetworkPolicyLint());
        return all;
    }
}
