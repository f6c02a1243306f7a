package dev.podnet.dataplane.netfilter;

/** Conntrack state of a packet as {@code -m conntrack --ctstate} / {@code -m state --state} name them. */
public enum CtState {
    NEW, ESTABLISHED, RELATED, INVALID, UNTRACKED
}
