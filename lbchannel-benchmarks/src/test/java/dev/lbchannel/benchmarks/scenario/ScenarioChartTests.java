package dev.lbchannel.benchmarks.scenario;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(30)
class ScenarioChartTests {

    @Test
    void writesAPngThatReadsBack(@TempDir Path dir) throws Exception {
        System.setProperty("java.awt.headless", "true");
        BackendTimeline timeline = new BackendTimeline(5, 3, 0);
        timeline.record(500_000_000L, 0, true);
        timeline.record(1_500_000_000L, 4, true);
        Histogram h = new Histogram(60_000_000_000L, 3);
        h.recordValue(2_000_000);
        PolicyRun run = PolicyRun.lbchannel("round_robin", "round_robin", "{}");
        RunResult r = RunResult.measured(Scenario.COLD, run, h, h, 0, 3, timeline, -1);
        Path png = dir.resolve("charts/scenario-cold.png");

        ScenarioChart.write("Cold backend", List.of(r, r, r), 1.0, png);

        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image).isNotNull();
        assertThat(image.getWidth()).isEqualTo(1200);
        assertThat(image.getHeight()).isGreaterThan(400);
    }

    @Test
    void axisTopsAreRoundNumbers() {
        assertThat(ScenarioChart.niceCeiling(18)).isEqualTo(20);
        assertThat(ScenarioChart.niceCeiling(72.3)).isEqualTo(100);
        assertThat(ScenarioChart.niceCeiling(3)).isEqualTo(5);
    }
}
