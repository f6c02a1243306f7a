package dev.podnet.dataplane.netfilter;

/**
 * One condition of a rule (a basic option such as {@code -s}, or one option of a match module such as
 * {@code -m multiport --dports}). Implementations live in {@link Matches}.
 */
public interface Match {
    /** The condition as written in the rule. */
    String text();

    /**
     * Tests the packet.
     *
     * @param p   the packet at the hook
     * @param ctx ipsets and node addresses
     * @param why set {@code why[0]} to the reason when returning UNKNOWN
     */
    Truth test(Packet p, MatchContext ctx, String[] why);
}
