package dev.podnet.lint;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One file handed to the linter: its display path and raw bytes (decoding is the engine's job, so invalid
 * UTF-8 becomes a finding rather than an exception).
 *
 * @param path  display path, as the user wrote it (or relative to the directory they named)
 * @param bytes the content; at most {@link dev.podnet.source.Limits#MAX_FILE_BYTES} bytes are read, and
 *              {@code truncated} says whether the file was longer
 * @param truncated true when the file exceeded the size limit and only a prefix was read
 */
public record InputFile(String path, byte[] bytes, boolean truncated) {

    /** An in-memory file (tests, the language server's open buffers). */
    public static InputFile of(String path, String text) {
        return new InputFile(path, text.getBytes(java.nio.charset.StandardCharsets.UTF_8), false);
    }

    /**
     * Reads a file from disk, at most the size limit plus one byte.
     *
     * @throws IOException when the file cannot be read (the caller reports it as "could not run")
     */
    public static InputFile read(Path file, String displayPath) throws IOException {
        long limit = dev.podnet.source.Limits.MAX_FILE_BYTES;
        try (InputStream in = Files.newInputStream(file)) {
            byte[] b = in.readNBytes((int) limit + 1);
            if (b.length > limit) {
                return new InputFile(displayPath, java.util.Arrays.copyOf(b, (int) limit), true);
            }
            return new InputFile(displayPath, b, false);
        }
    }

    /** The file name without directories. */
    public String fileName() {
        int i = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
        return i < 0 ? path : path.substring(i + 1);
    }

    /** The directory part of the display path ({@code "."} for a bare name). */
    public String directory() {
        int i = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
        return i < 0 ? "." : path.substring(0, i);
    }
}
