package dev.podnet.cni;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A plugin's error (CNI SPEC.md "Error": {@code {code, msg, details}} on stdout with a non-zero exit; codes 1
 * incompatible version, 2 unsupported field, 3 container unknown, 4 invalid environment, 5 I/O, 6 decode, 7 invalid
 * config, 11 try again later, 50/51 STATUS, 999 libcni internal). Output that is not error JSON is wrapped as libcni
 * does ({@code netplugin failed: "<stderr>"}).
 *
 * @param code    the error code (0 when the plugin printed no error JSON)
 * @param msg     the message
 * @param details the details ("" when absent)
 */
public record CniError(int code, String msg, String details) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Parses a failed plugin's stdout/stderr. */
    public static CniError parse(String stdout, String stderr) {
        try {
            JsonNode n = JSON.readTree(stdout);
            if (n != null && n.isObject() && n.has("msg")) {
                return new CniError(n.path("code").asInt(0), n.path("msg").asText(), n.path("details").asText(""));
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            // not error JSON: fall through
        }
        String text = (stdout + stderr).strip();
        return new CniError(0, text.isEmpty() ? "netplugin failed with no error message"
                : "netplugin failed: \"" + text + "\"", "");
    }

    @Override
    public String toString() {
        return msg + (details.isEmpty() ? "" : ": " + details) + (code == 0 ? "" : " (code " + code + ")");
    }
}
