package dev.coderd.metrics.metrics;

import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;

/** The text exposition of a registry, optionally only the lines of some families, for golden tests. */
public final class Expositions {
    private Expositions() {}

    public static String text(PrometheusRegistry registry, String... familyPrefixes) {
        return text(registry.scrape(), familyPrefixes);
    }

    public static String text(MetricSnapshots snapshots, String... familyPrefixes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            PrometheusTextFormatWriter.create().write(out, snapshots, EscapingScheme.ALLOW_UTF8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String all = out.toString(StandardCharsets.UTF_8);
        if (familyPrefixes.length == 0) {
            return all;
        }
        return all.lines().filter(line -> {
            for (String prefix : familyPrefixes) {
                if (line.startsWith(prefix) || line.startsWith("# HELP " + prefix) || line.startsWith("# TYPE " + prefix)) {
                    return true;
                }
            }
            return false;
        }).collect(Collectors.joining("\n", "", "\n"));
    }
}
