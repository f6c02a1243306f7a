package dev.podnet.cli;

import dev.podnet.lint.InputFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Expands command-line paths into input files. A file named explicitly is always read; a directory is walked
 * recursively and yields the files whose extension podnet reads ({@code .conf .conflist .json .yaml .yml}), in
 * bytewise name order within each directory (the order CNI runtimes load {@code net.d}); {@code .git},
 * {@code node_modules} and {@code target} are not entered.
 */
public final class Inputs {
    /** Extensions read when walking a directory. */
    public static final Set<String> EXTENSIONS = Set.of(".conf", ".conflist", ".json", ".yaml", ".yml");
    private static final Set<String> SKIP_DIRS = Set.of(".git", "node_modules", "target", ".idea", ".vscode");

    /** A path that could not be read; the CLI exits with code 2. */
    public static final class InputException extends Exception {
        InputException(String message) {
            super(message);
        }
    }

    private Inputs() {
    }

    /** The display path of standard input, read for the path {@code -}. */
    public static final String STDIN = "<stdin>";

    /**
     * Reads every input under the given paths; the path {@code -} reads standard input once (the output of
     * {@code kustomize build} or {@code helm template} piped in), shown as {@value #STDIN}.
     */
    public static List<InputFile> collect(List<Path> paths) throws InputException {
        List<InputFile> out = new ArrayList<>();
        java.util.Set<Path> seen = new java.util.HashSet<>();
        boolean stdinRead = false;
        for (Path p : paths) {
            if (p.toString().equals("-")) {
                if (!stdinRead) {
                    stdinRead = true;
                    out.add(readStdin());
                }
            } else if (Files.isDirectory(p)) {
                walk(p, p.toString(), (f, d) -> {
                    if (seen.add(realPath(f))) {
                        out.add(read(f, d));
                    }
                }, false);
            } else if (seen.add(realPath(p))) {
                out.add(read(p, p.toString()));
            }
        }
        return out;
    }

    /**
     * The file's real path (symlinks resolved), used so that one file named twice ({@code d ./d}, a symlink) is read
     * once; the absolute normalised path when it cannot be resolved (the read then reports why).
     */
    private static Path realPath(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            return p.toAbsolutePath().normalize();
        }
    }

    /** Receives each file a directory walk yields. */
    private interface FileSink {
        void accept(Path file, String display) throws InputException;
    }

    /**
     * The files a directory walk reads (same extensions, order and skipped directories as {@link #collect}),
     * without reading them; sub-directories that cannot be listed are skipped. Used by the language server to
     * find the workspace's files.
     */
    public static List<Path> files(Path dir) {
        List<Path> out = new ArrayList<>();
        try {
            walk(dir, dir.toString(), (f, display) -> out.add(f), true);
        } catch (InputException e) {
            // lenient walk: never thrown
        }
        return out;
    }

    private static void walk(Path dir, String display, FileSink out, boolean lenient) throws InputException {
        walk(dir, display, out, lenient, new java.util.HashSet<>());
    }

    /** Walks {@code dir}; {@code dirs} holds the real paths already walked, so a symlink loop is entered once. */
    private static void walk(Path dir, String display, FileSink out, boolean lenient, java.util.Set<Path> dirs)
            throws InputException {
        if (!dirs.add(realPath(dir))) {
            return;
        }
        List<Path> children;
        try (Stream<Path> s = Files.list(dir)) {
            children = new ArrayList<>(s.toList());
        } catch (IOException e) {
            if (lenient) {
                return;
            }
            throw new InputException("cannot read directory '" + display + "': " + reason(e));
        }
        children.sort((a, b) -> compareBytes(a.getFileName().toString(), b.getFileName().toString()));
        for (Path c : children) {
            String name = c.getFileName().toString();
            String childDisplay = display.endsWith("/") ? display + name : display + "/" + name;
            if (Files.isDirectory(c)) {
                if (!SKIP_DIRS.contains(name)) {
                    walk(c, childDisplay, out, lenient, dirs);
                }
            } else if (Files.isRegularFile(c) && EXTENSIONS.contains(extension(name))) {
                out.accept(c, childDisplay);
            }
        }
    }

    /** Reads standard input (at most {@link dev.podnet.source.Limits#MAX_FILE_BYTES}, as for a file). */
    private static InputFile readStdin() throws InputException {
        long limit = dev.podnet.source.Limits.MAX_FILE_BYTES;
        try {
            byte[] b = System.in.readNBytes((int) limit + 1);
            return b.length > limit ? new InputFile(STDIN, java.util.Arrays.copyOf(b, (int) limit), true)
                    : new InputFile(STDIN, b, false);
        } catch (IOException e) {
            throw new InputException("cannot read standard input: " + reason(e));
        }
    }

    /** Reads one file under the given display path. */
    static InputFile read(Path p, String display) throws InputException {
        try {
            return InputFile.read(p, display);
        } catch (IOException e) {
            throw new InputException("cannot read '" + display + "': " + reason(e));
        }
    }

    /** A short reason for an I/O failure (no such file, permission denied, ...). */
    static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m;
    }

    /** True when a directory walk would read a file with this name (by extension). */
    public static boolean readsFileNamed(String name) {
        return EXTENSIONS.contains(extension(name));
    }

    /** True when a directory walk does not enter a directory with this name. */
    public static boolean skipsDirectory(String name) {
        return SKIP_DIRS.contains(name);
    }

    static String extension(String name) {
        int i = name.lastIndexOf('.');
        return i <= 0 ? "" : name.substring(i).toLowerCase(Locale.ROOT);
    }

    /** Compares two names by their UTF-8 bytes (Go's sort.Strings order, used by libcni and containerd). */
    static int compareBytes(String a, String b) {
        byte[] x = a.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] y = b.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return java.util.Arrays.compareUnsigned(x, y);
    }
}
