package dev.podnet.service;

import dev.podnet.lint.InputFile;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.eclipse.lsp4j.TextDocumentContentChangeEvent;

/**
 * What the language server lints: the files found on disk under the workspace folders plus the documents open
 * in the editor; an open document overrides the disk file with the same URI (the editor's text is newer).
 * Every file is keyed by its normalised URI ({@link #normalize}); the {@link InputFile} path handed to the lint
 * engine is that URI, so findings come back keyed by URI too. Thread-safe: editor notifications mutate it while
 * validation works on an immutable {@link Snapshot}.
 */
public final class WorkspaceModel {
    private final Map<String, InputFile> disk = new TreeMap<>();
    private final Map<String, TextDocument> open = new LinkedHashMap<>();
    private final Map<String, String> clientUris = new LinkedHashMap<>();

    /**
     * What one validation run reads.
     *
     * @param inputs       every file, disk files in URI order with open documents in place of their disk copy,
     *                     then open documents that are not on disk, in opening order
     * @param openVersions normalised URI of each open document to its version at snapshot time
     * @param clientUris   normalised URI to the URI string the client used (publish with the client's spelling)
     */
    public record Snapshot(List<InputFile> inputs, Map<String, Integer> openVersions, Map<String, String> clientUris) {
        /** The URI to publish under: the client's spelling for an open document, else the normalised URI. */
        public String clientUri(String uri) {
            return clientUris.getOrDefault(uri, uri);
        }
    }

    /**
     * The canonical form of a {@code file:} URI (as {@link Path#toUri()} writes it), so that {@code file:/x},
     * {@code file:///x} and percent-encoding variants name one file. Other schemes ({@code untitled:}) and
     * unparsable strings are returned unchanged.
     */
    public static String normalize(String uri) {
        if (uri == null) {
            return "";
        }
        if (!uri.regionMatches(true, 0, "file:", 0, 5)) {
            return uri;
        }
        String known = NORMALIZED.get(uri);
        if (known != null) {
            return known;
        }
        String n;
        try {
            n = Path.of(URI.create(uri)).toUri().toString();
        } catch (RuntimeException e) {
            n = uri;
        }
        if (NORMALIZED.size() > 100_000) {
            NORMALIZED.clear();
        }
        NORMALIZED.put(uri, n);
        return n;
    }

    /** Normalisation results ({@link Path#toUri()} may touch the file system to tell directories apart). */
    private static final java.util.concurrent.ConcurrentHashMap<String, String> NORMALIZED =
            new java.util.concurrent.ConcurrentHashMap<>();

    /** Opens (or re-opens) a document with the editor's text. */
    public synchronized TextDocument open(String uri, int version, String text) {
        String key = normalize(uri);
        TextDocument d = new TextDocument(key, version, text);
        open.put(key, d);
        clientUris.put(key, uri);
        return d;
    }

    /**
     * Applies a didChange to an open document; returns the new buffer, or empty when the document is not open
     * (a client bug, ignored).
     */
    public synchronized Optional<TextDocument> change(String uri, int version,
                                                      List<TextDocumentContentChangeEvent> changes) {
        String key = normalize(uri);
        TextDocument d = open.get(key);
        if (d == null) {
            return Optional.empty();
        }
        TextDocument n = d.apply(version, changes);
        open.put(key, n);
        return Optional.of(n);
    }

    /** Closes a document; returns true if it was open. */
    public synchronized boolean close(String uri) {
        String key = normalize(uri);
        clientUris.remove(key);
        return open.remove(key) != null;
    }

    /** The open document with this URI. */
    public synchronized Optional<TextDocument> document(String uri) {
        return Optional.ofNullable(open.get(normalize(uri)));
    }

    /** True when the document is open in the editor. */
    public synchronized boolean isOpen(String uri) {
        return open.containsKey(normalize(uri));
    }

    /** Records (or replaces) the on-disk content of a workspace file. */
    public synchronized void putDiskFile(String uri, byte[] bytes, boolean truncated) {
        String key = normalize(uri);
        disk.put(key, new InputFile(key, bytes, truncated));
    }

    /** Forgets a workspace file deleted on disk; returns true if it was known. */
    public synchronized boolean removeDiskFile(String uri) {
        return disk.remove(normalize(uri)) != null;
    }

    /** True when the file is part of the on-disk workspace. */
    public synchronized boolean onDisk(String uri) {
        return disk.containsKey(normalize(uri));
    }

    /** Forgets every disk file whose URI starts with {@code folderUri} (a removed workspace folder). */
    public synchronized void removeDiskFilesUnder(String folderUri) {
        String prefix = normalize(folderUri);
        String p = prefix.endsWith("/") ? prefix : prefix + "/";
        disk.keySet().removeIf(k -> k.startsWith(p));
    }

    /** Number of disk files known. */
    public synchronized int diskFileCount() {
        return disk.size();
    }

    /** An immutable view for one validation run. */
    public synchronized Snapshot snapshot() {
        List<InputFile> inputs = new ArrayList<>(disk.size() + open.size());
        Map<String, Integer> versions = new LinkedHashMap<>();
        for (Map.Entry<String, InputFile> e : disk.entrySet()) {
            TextDocument d = open.get(e.getKey());
            inputs.add(d == null ? e.getValue() : InputFile.of(e.getKey(), d.text()));
        }
        for (TextDocument d : open.values()) {
            versions.put(d.uri(), d.version());
            if (!disk.containsKey(d.uri())) {
                inputs.add(InputFile.of(d.uri(), d.text()));
            }
        }
        return new Snapshot(Collections.unmodifiableList(inputs), Collections.unmodifiableMap(versions),
                Map.copyOf(clientUris));
    }
}
