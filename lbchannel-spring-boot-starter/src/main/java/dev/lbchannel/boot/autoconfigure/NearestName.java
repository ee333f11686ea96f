package dev.lbchannel.boot.autoconfigure;

import org.jspecify.annotations.Nullable;

import java.util.Collection;
import java.util.Locale;

/**
 * The valid name closest to a mistyped one, for "did you mean" hints: by edit distance, ignoring
 * case and the dashes and underscores that separate words in YAML, and only when the two are
 * close enough that the hint helps rather than misleads.
 */
final class NearestName {

    private NearestName() {
    }

    /** The name in {@code valid} nearest to {@code written}, or {@code null} when none is close. */
    static @Nullable String to(String written, Collection<String> valid) {
        String key = normalized(written);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : valid) {
            int distance = distance(key, normalized(candidate));
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        // A third of the name may be wrong: "loadBalancingConfigs" finds its field, "timeout" does not find "name".
        return best != null && bestDistance <= Math.max(2, key.length() / 3) ? best : null;
    }

    private static String normalized(String name) {
        return name.replace("-", "").replace("_", "").toLowerCase(Locale.ROOT);
    }

    /** Levenshtein distance, one row at a time. */
    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
