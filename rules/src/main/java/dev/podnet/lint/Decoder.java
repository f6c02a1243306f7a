package dev.podnet.lint;

import dev.podnet.diag.Diagnostic;
import dev.podnet.diag.Severity;
import dev.podnet.source.Range;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Turns raw bytes into text, strictly: CNI runtimes (Go) and the API server read UTF-8 only. Binary content,
 * UTF-16 files, invalid UTF-8 sequences and (for JSON) a byte order mark become {@code SYN003} findings with the
 * line and column of the first bad byte.
 */
final class Decoder {

    /** Decoded text, or null with the reason. */
    record Result(String text, Diagnostic problem) {
    }

    private Decoder() {
    }

    static Result decode(InputFile in) {
        byte[] b = in.bytes();
        String path = in.path();
        if (b.length >= 2 && ((b[0] == (byte) 0xFE && b[1] == (byte) 0xFF) || (b[0] == (byte) 0xFF
                && b[1] == (byte) 0xFE))) {
            return new Result(null, problem(path, Range.FILE_START, "the file is UTF-16 encoded; CNI runtimes and "
                    + "kubectl read UTF-8 only: save it as UTF-8"));
        }
        int scan = Math.min(b.length, 8192);
        int controls = 0;
        for (int i = 0; i < scan; i++) {
            int c = b[i] & 0xFF;
            if (c == 0) {
                return new Result(null, problem(path, Range.FILE_START, "binary content (NUL bytes): this is not a "
                        + "text file; remove it from the lint paths"));
            }
            if (c < 32 && c != '\n' && c != '\r' && c != '\t' && c != '\f') {
                controls++;
            }
        }
        if (scan > 64 && controls * 10 > scan) {
            return new Result(null, problem(path, Range.FILE_START, "binary content (control characters): this is "
                    + "not a text file; remove it from the lint paths"));
        }
        CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer bb = ByteBuffer.wrap(b);
        CharBuffer cb = CharBuffer.allocate((int) Math.min(Integer.MAX_VALUE - 8, (long) b.length + 1));
        CoderResult r = dec.decode(bb, cb, true);
        if (r.isError()) {
            int pos = bb.position();
            cb.flip();
            String before = cb.toString();
            int line = 0;
            int lineStart = 0;
            for (int i = 0; i < before.length(); i++) {
                if (before.charAt(i) == '\n') {
                    line++;
                    lineStart = i + 1;
                }
            }
            int col = before.length() - lineStart;
            return new Result(null, problem(path, new Range(line, col, line, col + 1),
                    String.format("invalid UTF-8 (byte 0x%02X); the runtime and kubectl read UTF-8 only: save the "
                            + "file as UTF-8", b[pos] & 0xFF)));
        }
        dec.flush(cb);
        cb.flip();
        return new Result(cb.toString(), null);
    }

    private static Diagnostic problem(String path, Range range, String msg) {
        return new Diagnostic(path, range, Severity.ERROR, "SYN003", msg, List.of());
    }

}
