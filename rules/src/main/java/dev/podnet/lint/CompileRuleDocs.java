package dev.podnet.lint;

/**
 * Build-time entry point: {@code java dev.podnet.lint.CompileRuleDocs <rules-yaml-dir> <classes-dir>} writes
 * {@link RuleRegistry#COMPILED} (see {@link RuleRegistry#compile}). Run by the rules module's build.
 */
public final class CompileRuleDocs {
    private CompileRuleDocs() {
    }

    /** See the class comment. */
    public static void main(String[] args) throws java.io.IOException {
        RuleRegistry.compile(args);
    }
}
