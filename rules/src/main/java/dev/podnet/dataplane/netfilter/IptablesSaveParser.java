package dev.podnet.dataplane.netfilter;

import dev.podnet.dataplane.Addresses;
import inet.ipaddr.IPAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Parses {@code iptables-save} (and {@code iptables-restore} input) text into a {@link Ruleset}.
 *
 * <p>Format (iptables-save(8), iptables-restore(8)): {@code *table}, chain lines
 * {@code :NAME POLICY [packets:bytes]} ({@code -} as policy for user chains), rules {@code [p:b] -A CHAIN ...}
 * (or {@code -I CHAIN [N] ...} as restore input may have) and {@code COMMIT}. Rule options are assigned the way
 * iptables' own parser does: basic options ({@code -s -d -i -o -p}, each may follow {@code !}); an
 * {@code --option} belongs to the most recently loaded {@code -m} module that defines it (so {@code -m physdev ...
 * -p tcp --dport 80} works), to the target when it is one of the target's options, or loads the protocol match
 * implicitly ({@code --dport} after {@code -p tcp} without {@code -m tcp}). Options the evaluator does not model are kept
 * verbatim as matches or targets that evaluate to UNKNOWN. Lines that cannot be read (syntax errors, a rule for an
 * undeclared user chain, a bad address) are skipped and reported in {@link Ruleset#problems()}; parsing never
 * throws.
 */
public final class IptablesSaveParser {
    private IptablesSaveParser() {
    }

    private record Token(String text, boolean quoted) {
        boolean isOption() {
            return !quoted && text.startsWith("-") && text.length() > 1 && !isNumber(text);
        }

        boolean isBang() {
            return !quoted && text.equals("!");
        }

        private static boolean isNumber(String s) {
            return s.matches("-\\d+");
        }
    }

    private static final Set<String> BUILTIN = Set.of("PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING");

    /** Parses the whole text. */
    public static Ruleset parse(String text) {
        return parse(List.of(text));
    }

    /**
     * Parses several texts as if loaded one after the other, the first with {@code iptables-restore} and the
     * rest with {@code iptables-restore --noflush}: a later {@code :CHAIN} line for an existing chain flushes it
     * (and sets a built-in chain's policy), {@code -A} appends and {@code -I CHAIN [N]} inserts. Built-in chains
     * that a text uses without declaring exist with policy ACCEPT, as in a fresh kernel table. Problems carry the
     * line number within their own text.
     */
    public static Ruleset parse(List<String> texts) {
        Map<String, Table> tables = new LinkedHashMap<>();
        List<ParseProblem> problems = new ArrayList<>();
        for (String text : texts) {
            parseOne(text, tables, problems);
        }
        for (Table t : tables.values()) {
            for (Chain c : t.chains()) {
                c.renumber();
            }
        }
        return new Ruleset(tables, problems);
    }

    private static void parseOne(String text, Map<String, Table> tables, List<ParseProblem> problems) {
        String[] lines = text.split("\\R", -1);
        Table cur = null;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            int no = i + 1;
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            try {
                if (line.startsWith("*")) {
                    if (cur != null) {
                        problems.add(new ParseProblem(no, "table " + cur.name() + " has no COMMIT before *"
                                + line.substring(1)));
                    }
                    String name = line.substring(1).trim();
                    cur = tables.computeIfAbsent(name, Table::new);
                } else if (line.equals("COMMIT")) {
                    if (cur == null) {
                        problems.add(new ParseProblem(no, "COMMIT outside a table"));
                    }
                    cur = null;
                } else if (cur == null) {
                    problems.add(new ParseProblem(no, "line outside a table (missing *filter/*nat/...)"));
                } else if (line.startsWith(":")) {
                    chainLine(cur, line, no);
                } else {
                    ruleLine(cur, line, no);
                }
            } catch (IllegalArgumentException e) {
                problems.add(new ParseProblem(no, e.getMessage()));
            }
        }
        if (cur != null) {
            problems.add(new ParseProblem(lines.length, "table " + cur.name() + " has no COMMIT"));
        }
    }

    private static void chainLine(Table t, String line, int no) {
        String[] f = line.substring(1).trim().split("\\s+");
        String name = f[0];
        if (name.isEmpty()) {
            throw new IllegalArgumentException("chain line without a name");
        }
        String policy = f.length > 1 ? f[1] : "-";
        long[] c = counters(f.length > 2 ? f[2] : "[0:0]");
        if (policy.equals("-")) {
            policy = null;
        } else if (!policy.equals("ACCEPT") && !policy.equals("DROP")) {
            throw new IllegalArgumentException("chain " + name + ": policy '" + policy + "' is not ACCEPT or DROP");
        }
        if (policy != null && !BUILTIN.contains(name)) {
            throw new IllegalArgumentException("chain " + name + " has a policy but is not a built-in chain");
        }
        if (t.chain(name).isPresent()) {
            Chain old = t.chain(name).get();
            if (old.builtin() != (policy != null)) {
                throw new IllegalArgumentException("chain " + name + " redeclared with a different kind");
            }
        }
        // a new chain, or a redeclared one (restore flushes it)
        t.add(new Chain(name, policy, c[0], c[1]));
    }

    private static long[] counters(String s) {
        if (!s.startsWith("[") || !s.endsWith("]") || !s.contains(":")) {
            throw new IllegalArgumentException("bad counters '" + s + "'");
        }
        String[] pb = s.substring(1, s.length() - 1).split(":");
        try {
            return new long[] {Long.parseLong(pb[0]), Long.parseLong(pb[1])};
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            throw new IllegalArgumentException("bad counters '" + s + "'");
        }
    }

    private static void ruleLine(Table t, String line, int no) {
        List<Token> toks = tokenize(line);
        long[] cnt = {0, 0};
        int i = 0;
        if (!toks.isEmpty() && toks.get(0).text().startsWith("[") && !toks.get(0).quoted()) {
            cnt = counters(toks.get(0).text());
            i++;
        }
        String cmd = i < toks.size() ? toks.get(i).text() : "";
        boolean insert = cmd.equals("-I") || cmd.equals("--insert");
        if (!insert && !cmd.equals("-A") && !cmd.equals("--append")) {
            throw new IllegalArgumentException("expected -A CHAIN or -I CHAIN, got '" + line + "'");
        }
        i++;
        if (i >= toks.size()) {
            throw new IllegalArgumentException(cmd + " without chain name");
        }
        String chainName = toks.get(i).text();
        if (t.chain(chainName).isEmpty() && BUILTIN.contains(chainName)) {
            t.add(new Chain(chainName, "ACCEPT", 0, 0));
        }
        Chain chain = t.chain(chainName).orElseThrow(() -> new IllegalArgumentException(
                "rule for chain " + chainName + ", which is not declared in table " + t.name()));
        i++;
        int position = chain.rules().size();
        if (insert) {
            position = 0;
            if (i < toks.size() && toks.get(i).text().matches("\\d+")) {
                position = Integer.parseInt(toks.get(i).text()) - 1;
                i++;
                if (position < 0 || position > chain.rules().size()) {
                    throw new IllegalArgumentException("-I " + chainName + " " + (position + 1)
                            + ": index out of range (chain has " + chain.rules().size() + " rules)");
                }
            }
        }
        String text = line.startsWith("[") ? line.substring(line.indexOf(']') + 1).strip() : line;

        List<Match> matches = new ArrayList<>();
        String protocol = null;
        // loaded match modules in order: name and the options assigned to it
        List<String> modNames = new ArrayList<>();
        List<List<Option>> modOpts = new ArrayList<>();
        boolean inTarget = false;
        String targetName = null;
        boolean isGoto = false;
        List<Option> targetOpts = new ArrayList<>();
        boolean negate = false;

        while (i < toks.size()) {
            Token tok = toks.get(i);
            if (tok.isBang()) {
                negate = true;
                i++;
                continue;
            }
            if (!tok.isOption()) {
                throw new IllegalArgumentException("unexpected '" + tok.text() + "' in rule");
            }
            String name = tok.text();
            List<String> args = new ArrayList<>();
            int j = i + 1;
            while (j < toks.size() && !toks.get(j).isOption() && !toks.get(j).isBang()) {
                args.add(toks.get(j).text());
                j++;
            }
            i = j;
            Option opt = new Option(name, negate, args);
            negate = false;
            switch (name) {
                case "-s", "--source", "--src", "-d", "--destination", "--dst" -> {
                    need(opt, 1);
                    if (opt.negated() && opt.arg().contains(",")) {
                        throw new IllegalArgumentException("! not allowed with several addresses: " + opt.text());
                    }
                    matches.add(Matches.address(opt, name.startsWith("-s") || name.equals("--source")
                            || name.equals("--src")));
                }
                case "-i", "--in-interface", "-o", "--out-interface" -> {
                    need(opt, 1);
                    matches.add(Matches.iface(opt, name.equals("-i") || name.equals("--in-interface")));
                }
                case "-p", "--protocol" -> {
                    need(opt, 1);
                    protocol = Matches.protocolName(opt.arg());
                    matches.add(Matches.protocol(opt));
                }
                case "-f", "--fragment" -> matches.add(Matches.unsupported(opt.text(),
                        "fragment matching (-f) is not modelled"));
                case "-m", "--match" -> {
                    need(opt, 1);
                    modNames.add(opt.arg());
                    modOpts.add(new ArrayList<>());
                    inTarget = false;
                }
                case "-j", "--jump", "-g", "--goto" -> {
                    need(opt, 1);
                    if (targetName != null) {
                        throw new IllegalArgumentException("rule has two targets");
                    }
                    targetName = opt.arg();
                    isGoto = name.equals("-g") || name.equals("--goto");
                    inTarget = true;
                }
                case "-c", "--set-counters" -> need(opt, 2);
                default -> {
                    if (!name.startsWith("--")) {
                        matches.add(Matches.unsupported(opt.text(), "option " + name + " is not modelled"));
                        continue;
                    }
                    if (inTarget && TARGET_OPTS.getOrDefault(targetName, Set.of()).contains(name)) {
                        targetOpts.add(opt);
                        continue;
                    }
                    int owner = -1;
                    for (int k = modNames.size() - 1; k >= 0 && owner < 0; k--) {
                        Set<String> known = MODULE_OPTS.get(modNames.get(k).toLowerCase(Locale.ROOT));
                        if (known != null && known.contains(name)) {
                            owner = k;
                        }
                    }
                    if (owner < 0 && !inTarget && !modNames.isEmpty()
                            && !MODULE_OPTS.containsKey(modNames.get(modNames.size() - 1).toLowerCase(Locale.ROOT))) {
                        owner = modNames.size() - 1; // an unmodelled module: keep its options with it
                    }
                    if (owner < 0 && inTarget) {
                        targetOpts.add(opt);
                        continue;
                    }
                    if (owner < 0 && protocol != null && MODULE_OPTS.containsKey(protocol)
                            && MODULE_OPTS.get(protocol).contains(name)
                            && modNames.stream().noneMatch(protocol::equalsIgnoreCase)) {
                        // implicit protocol match (iptables loads -m <proto> for -p <proto>)
                        modNames.add(protocol);
                        modOpts.add(new ArrayList<>());
                        owner = modNames.size() - 1;
                    }
                    if (owner < 0) {
                        matches.add(Matches.unsupported(opt.text(), "option " + name
                                + " belongs to no loaded match module"));
                    } else {
                        modOpts.get(owner).add(opt);
                    }
                }
            }
        }
        if (negate) {
            throw new IllegalArgumentException("'!' at the end of the rule");
        }
        for (int k = 0; k < modNames.size(); k++) {
            matches.addAll(Matches.module(modNames.get(k), modOpts.get(k)));
        }
        Target target = target(targetName, isGoto, targetOpts, t);
        chain.insert(position, new Rule(t.name(), chainName, position + 1, no, text, matches, target, cnt[0],
                cnt[1]));
    }

    private static final Set<String> PORTS = Set.of("--sport", "--source-port", "--dport", "--destination-port");
    private static final Map<String, Set<String>> MODULE_OPTS = Map.ofEntries(
            Map.entry("tcp", union(PORTS, Set.of("--tcp-flags", "--syn", "--tcp-option"))),
            Map.entry("udp", PORTS),
            Map.entry("udplite", PORTS),
            Map.entry("sctp", union(PORTS, Set.of("--chunk-types"))),
            Map.entry("icmp", Set.of("--icmp-type")),
            Map.entry("multiport", Set.of("--sports", "--source-ports", "--dports", "--destination-ports",
                    "--ports")),
            Map.entry("set", Set.of("--match-set", "--return-nomatch", "--update-counters",
                    "--update-subcounters", "--packets-eq", "--packets-lt", "--packets-gt", "--bytes-eq",
                    "--bytes-lt", "--bytes-gt")),
            Map.entry("conntrack", Set.of("--ctstate", "--ctproto", "--ctorigsrc", "--ctorigdst", "--ctreplsrc",
                    "--ctrepldst", "--ctorigsrcport", "--ctorigdstport", "--ctreplsrcport", "--ctrepldstport",
                    "--ctstatus", "--ctexpire", "--ctdir")),
            Map.entry("state", Set.of("--state")),
            Map.entry("physdev", Set.of("--physdev-in", "--physdev-out", "--physdev-is-in", "--physdev-is-out",
                    "--physdev-is-bridged")),
            Map.entry("mark", Set.of("--mark")),
            Map.entry("comment", Set.of("--comment")),
            Map.entry("addrtype", Set.of("--src-type", "--dst-type", "--limit-iface-in", "--limit-iface-out")),
            Map.entry("limit", Set.of("--limit", "--limit-burst")));
    private static final Map<String, Set<String>> TARGET_OPTS = Map.of(
            "REJECT", Set.of("--reject-with"),
            "LOG", Set.of("--log-prefix", "--log-level", "--log-tcp-sequence", "--log-tcp-options",
                    "--log-ip-options", "--log-uid", "--log-macdecode"),
            "NFLOG", Set.of("--nflog-group", "--nflog-prefix", "--nflog-range", "--nflog-size",
                    "--nflog-threshold"),
            "MARK", Set.of("--set-xmark", "--set-mark", "--or-mark", "--and-mark", "--xor-mark"),
            "MASQUERADE", Set.of("--to-ports", "--random", "--random-fully"),
            "SNAT", Set.of("--to-source", "--random", "--random-fully", "--persistent"),
            "DNAT", Set.of("--to-destination", "--random", "--persistent"));

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> u = new java.util.HashSet<>(a);
        u.addAll(b);
        return Set.copyOf(u);
    }

    private static void need(Option o, int n) {
        if (o.args().size() < n) {
            throw new IllegalArgumentException(o.name() + " needs " + n + " argument" + (n > 1 ? "s" : ""));
        }
    }

    private static Target target(String name, boolean isGoto, List<Option> opts, Table t) {
        if (name == null) {
            return new Target(Target.Kind.NONE, "", opts, 0xffffffffL, 0, null, -1, null);
        }
        if (isGoto) {
            return new Target(Target.Kind.GOTO, name, opts, 0xffffffffL, 0, null, -1,
                    opts.isEmpty() ? null : "goto takes no options");
        }
        String bad = null;
        Target.Kind kind;
        long and = 0xffffffffL;
        long xor = 0;
        IPAddress nat = null;
        int port = -1;
        switch (name) {
            case "ACCEPT", "DROP", "RETURN" -> {
                kind = Target.Kind.valueOf(name);
                if (!opts.isEmpty()) {
                    bad = name + " takes no options";
                }
            }
            case "REJECT" -> {
                kind = Target.Kind.REJECT;
                bad = onlyOptions(opts, TARGET_OPTS.get(name), name);
            }
            case "LOG" -> {
                kind = Target.Kind.LOG;
                bad = onlyOptions(opts, TARGET_OPTS.get(name), name);
            }
            case "NFLOG" -> {
                kind = Target.Kind.NFLOG;
                bad = onlyOptions(opts, TARGET_OPTS.get(name), name);
            }
            case "MARK" -> {
                kind = Target.Kind.MARK;
                if (opts.size() != 1) {
                    bad = "MARK needs exactly one of --set-xmark/--set-mark/--or-mark/--and-mark/--xor-mark";
                } else {
                    Option o = opts.get(0);
                    long[] vm = Matches.valueMask(o.arg());
                    switch (o.name()) {
                        case "--set-xmark" -> {
                            and = ~vm[1] & 0xffffffffL;
                            xor = vm[0];
                        }
                        case "--set-mark" -> {
                            and = ~(vm[1] | vm[0]) & 0xffffffffL;
                            xor = vm[0];
                        }
                        case "--or-mark" -> {
                            and = ~vm[0] & 0xffffffffL;
                            xor = vm[0];
                        }
                        case "--and-mark" -> {
                            and = vm[0];
                            xor = 0;
                        }
                        case "--xor-mark" -> xor = vm[0];
                        default -> bad = "MARK option " + o.name() + " is not modelled";
                    }
                }
            }
            case "MASQUERADE" -> {
                kind = Target.Kind.MASQUERADE;
                bad = onlyOptions(opts, Set.of("--random", "--random-fully"), name);
            }
            case "SNAT", "DNAT" -> {
                kind = Target.Kind.valueOf(name);
                String key = name.equals("SNAT") ? "--to-source" : "--to-destination";
                bad = onlyOptions(opts, Set.of(key, "--random", "--persistent", "--random-fully"), name);
                Option to = opts.stream().filter(o -> o.name().equals(key)).findFirst().orElse(null);
                if (bad == null && to == null) {
                    bad = name + " without " + key;
                } else if (bad == null) {
                    String v = to.arg();
                    if (v.contains("-") || opts.stream().filter(o -> o.name().equals(key)).count() > 1) {
                        bad = name + " to an address or port range is not modelled (the kernel picks one)";
                    } else {
                        int colon = v.lastIndexOf(':');
                        String addr = v;
                        if (v.startsWith("[")) {
                            int close = v.indexOf(']');
                            if (close < 0) {
                                throw new IllegalArgumentException(key + " '" + v + "' has no closing ]");
                            }
                            addr = v.substring(1, close);
                            colon = v.indexOf(':', close);
                        } else if (v.indexOf(':') != colon) {
                            colon = -1; // bare IPv6 address
                        }
                        if (colon >= 0) {
                            addr = v.substring(0, colon);
                            port = Integer.parseInt(v.substring(colon + 1));
                        }
                        if (!addr.isEmpty()) {
                            nat = Addresses.address(addr);
                        }
                    }
                }
            }
            default -> {
                if (t.chain(name).isPresent() && !t.chain(name).get().builtin()) {
                    kind = Target.Kind.JUMP;
                    if (!opts.isEmpty()) {
                        bad = "jump to chain " + name + " takes no options";
                    }
                } else {
                    kind = Target.Kind.UNSUPPORTED;
                    bad = "target " + name + " is not modelled (and is no user chain of table " + t.name() + ")";
                }
            }
        }
        if (bad != null) {
            return new Target(Target.Kind.UNSUPPORTED, name, opts, and, xor, nat, port, bad);
        }
        return new Target(kind, name, opts, and, xor, nat, port, null);
    }

    private static String onlyOptions(List<Option> opts, Set<String> allowed, String target) {
        for (Option o : opts) {
            if (!allowed.contains(o.name())) {
                return "option " + o.name() + " of target " + target + " is not modelled";
            }
        }
        return null;
    }

    /** Splits a rule line into tokens; double quotes group words ({@code \"} and {@code \\} are escapes). */
    private static List<Token> tokenize(String line) {
        List<Token> out = new ArrayList<>();
        int i = 0;
        int n = line.length();
        while (i < n) {
            char c = line.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            StringBuilder b = new StringBuilder();
            boolean quoted = false;
            while (i < n && !Character.isWhitespace(line.charAt(i))) {
                char d = line.charAt(i);
                if (d == '"') {
                    quoted = true;
                    i++;
                    while (i < n && line.charAt(i) != '"') {
                        if (line.charAt(i) == '\\' && i + 1 < n) {
                            i++;
                        }
                        b.append(line.charAt(i));
                        i++;
                    }
                    if (i >= n) {
                        throw new IllegalArgumentException("unterminated quote in rule");
                    }
                    i++;
                } else {
                    b.append(d);
                    i++;
                }
            }
            out.add(new Token(b.toString(), quoted));
        }
        return out;
    }
}
