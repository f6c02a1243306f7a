package dev.podnet.config;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.regex.PatternSyntaxException;

/**
 * A file glob of the project file, matched against a path relative to the project directory with {@code /}
 * separators. Syntax is {@link java.nio.file.FileSystem#getPathMatcher} "glob:" syntax ({@code *} within one
 * directory, {@code **} across directories, {@code ?}, {@code [abc]}, {@code {a,b}}), plus two
 * {@code .gitignore}-like conveniences: a leading {@code **}{@code /} also matches at the top directory
 * ({@code **}{@code /*.yaml} matches {@code a.yaml}), and a glob without {@code /} also matches the file name in
 * any directory ({@code *.conf} matches {@code net.d/10-x.conf}).
 *
 * @param pattern the glob as written
 */
public record Glob(String pattern) {

    /**
     * Compiles the glob to check its syntax.
     *
     * @throws IllegalArgumentException with the position of the error when the glob is malformed
     */
    public static Glob compile(String pattern) {
        if (pattern.isBlank()) {
            throw new IllegalArgumentException("empty glob");
        }
        if (pattern.startsWith("/")) {
            throw new IllegalArgumentException("globs are relative to the project file's directory; drop the "
                    + "leading '/'");
        }
        try {
            FileSystems.getDefault().getPathMatcher("glob:" + pattern);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException(e.getDescription() + " at index " + e.getIndex(), e);
        }
        return new Glob(pattern);
    }

    /** Whether the relative path ({@code /} separators) matches. */
    public boolean matches(String relativePath) {
        PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
        Path p = Path.of(relativePath);
        if (m.matches(p)) {
            return true;
        }
        if (pattern.startsWith("**/")
                && FileSystems.getDefault().getPathMatcher("glob:" + pattern.substring(3)).matches(p)) {
            return true;
        }
        return !pattern.contains("/") && p.getFileName() != null && m.matches(p.getFileName());
    }
}
