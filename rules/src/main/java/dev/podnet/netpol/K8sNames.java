package dev.podnet.netpol;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The name and value syntax checks of Kubernetes apimachinery ({@code k8s.io/apimachinery/pkg/util/validation}):
 * DNS-1123 subdomains and labels, qualified names (label and annotation keys), label values and IANA service
 * port names. Each method returns the problems in the API server's words (empty list: valid), so findings can
 * quote what {@code kubectl apply} would print.
 */
public final class K8sNames {
    private static final Pattern DNS1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern DNS1123_SUBDOMAIN =
            Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Pattern QUALIFIED_NAME = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
    private static final Pattern LABEL_VALUE = Pattern.compile("(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?");
    private static final Pattern PORT_NAME_CHARS = Pattern.compile("[-a-z0-9]+");
    private static final Pattern HAS_LETTER = Pattern.compile(".*[a-z].*");

    private K8sNames() {
    }

    /** {@code IsDNS1123Label}: at most 63 characters, lower-case alphanumerics and '-', alphanumeric at both ends. */
    public static List<String> dns1123Label(String v) {
        List<String> errs = new ArrayList<>();
        if (v.length() > 63) {
            errs.add("must be no more than 63 characters");
        }
        if (!DNS1123_LABEL.matcher(v).matches()) {
            errs.add("must consist of lower case alphanumeric characters or '-', and must start and end with an "
                    + "alphanumeric character");
        }
        return errs;
    }

    /** {@code IsDNS1123Subdomain}: at most 253 characters, dot-separated DNS-1123 labels. */
    public static List<String> dns1123Subdomain(String v) {
        List<String> errs = new ArrayList<>();
        if (v.length() > 253) {
            errs.add("must be no more than 253 characters");
        }
        if (!DNS1123_SUBDOMAIN.matcher(v).matches()) {
            errs.add("must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an "
                    + "alphanumeric character");
        }
        return errs;
    }

    /**
     * {@code IsQualifiedName} (label keys, annotation keys): an optional DNS-1123 subdomain prefix and '/', then a
     * name of at most 63 characters of alphanumerics, '-', '_' and '.', alphanumeric at both ends.
     */
    public static List<String> qualifiedName(String v) {
        List<String> errs = new ArrayList<>();
        String[] parts = v.split("/", -1);
        String name;
        if (parts.length == 1) {
            name = parts[0];
        } else if (parts.length == 2) {
            String prefix = parts[0];
            name = parts[1];
            if (prefix.isEmpty()) {
                errs.add("prefix part must be non-empty");
            } else {
                for (String e : dns1123Subdomain(prefix)) {
                    errs.add("prefix part " + e);
                }
            }
        } else {
            errs.add("a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and "
                    + "end with an alphanumeric character, with an optional DNS subdomain prefix and '/' "
                    + "(e.g. 'example.com/MyName')");
            return errs;
        }
        if (name.isEmpty()) {
            errs.add("name part must be non-empty");
        } else {
            if (name.length() > 63) {
                errs.add("name part must be no more than 63 characters");
            }
            if (!QUALIFIED_NAME.matcher(name).matches()) {
                errs.add("name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end "
                        + "with an alphanumeric character");
            }
        }
        return errs;
    }

    /** {@code IsValidLabelValue}: empty, or at most 63 characters of alphanumerics, '-', '_', '.'. */
    public static List<String> labelValue(String v) {
        List<String> errs = new ArrayList<>();
        if (v.length() > 63) {
            errs.add("must be no more than 63 characters");
        }
        if (!LABEL_VALUE.matcher(v).matches()) {
            errs.add("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', "
                    + "and must start and end with an alphanumeric character");
        }
        return errs;
    }

    /**
     * {@code IsValidPortName} (IANA_SVC_NAME, RFC 6335): at most 15 characters, lower-case letters, digits and '-',
     * at least one letter, no "--", no '-' at either end.
     */
    public static List<String> portName(String v) {
        List<String> errs = new ArrayList<>();
        if (v.length() > 15) {
            errs.add("must be no more than 15 characters");
        }
        if (!PORT_NAME_CHARS.matcher(v).matches()) {
            errs.add("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
        }
        if (!HAS_LETTER.matcher(v).matches()) {
            errs.add("must contain at least one letter (a-z)");
        }
        if (v.contains("--")) {
            errs.add("must not contain consecutive hyphens");
        }
        if (!v.isEmpty() && (v.charAt(0) == '-' || v.charAt(v.length() - 1) == '-')) {
            errs.add("must not begin or end with a hyphen");
        }
        return errs;
    }
}
