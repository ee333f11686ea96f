package dev.lbchannel.samples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every sample is listed in the module's README and has a test class named after it, which is
 * the class its own "Proven by" comment names.
 */
@Timeout(10)
class SamplesIndexTests {

    private static final Pattern PROVEN_BY = Pattern.compile("^# Proven by (\\w+)", Pattern.MULTILINE);

    @Test
    void everySampleIsListedAndTested() throws IOException, URISyntaxException {
        List<String> samples = samples();
        String readme = Files.readString(Path.of("README.md"));

        assertThat(samples).hasSizeGreaterThanOrEqualTo(8);
        for (String sample : samples) {
            String test = testClassName(sample);
            assertThat(readme).as("README lists " + sample).contains("`" + sample + ".yml`").contains("`" + test + "`");
            assertThat(classExists("dev.lbchannel.samples." + test)).as(test + " exists for " + sample).isTrue();
        }
    }

    @Test
    void everySampleNamesTheTestThatProvesIt() throws IOException, URISyntaxException {
        for (String sample : samples()) {
            String text = Files.readString(directory().resolve(sample + ".yml"));
            Matcher provenBy = PROVEN_BY.matcher(text);

            assertThat(provenBy.find()).as(sample + ".yml has a '# Proven by <Class>' line").isTrue();
            String named = provenBy.group(1);
            assertThat(classExists("dev.lbchannel.samples." + named))
                    .as(sample + ".yml names " + named + ", a test class of this module").isTrue();
            assertThat(named).as(sample + ".yml names its own test").isEqualTo(testClassName(sample));
        }
    }

    private static List<String> samples() throws IOException, URISyntaxException {
        try (Stream<Path> files = Files.list(directory())) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yml"))
                    .map(n -> n.substring(0, n.length() - ".yml".length())).sorted().toList();
        }
    }

    private static Path directory() throws URISyntaxException {
        return Path.of(SamplesIndexTests.class.getClassLoader().getResource("samples").toURI());
    }

    /** {@code tls-ssl-bundle} → {@code TlsSslBundleSampleTests}. */
    private static String testClassName(String sample) {
        return Arrays.stream(sample.split("-")).map(w -> Character.toUpperCase(w.charAt(0)) + w.substring(1))
                .collect(Collectors.joining()) + "SampleTests";
    }

    private static boolean classExists(String name) {
        try {
            Class.forName(name);
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
