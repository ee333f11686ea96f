package dev.lbchannel.actuate.channelz;

import dev.lbchannel.channelz.DetectionMethod;
import dev.lbchannel.channelz.EjectionStats;
import dev.lbchannel.channelz.UnenforcedReason;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What outlier detection (gRFC A50) did on a channel: the ids of the subchannels ejected now, and
 * the ejections enforced and left unenforced over the channel's life, keyed by gRFC A91's label
 * values: {@code {"ejectedSubchannels":[4],"ejectionsEnforced":{"success_rate":0,
 * "failure_percentage":1},"ejectionsUnenforced":{"success_rate":{"enforcement_percentage":0,
 * "max_ejection_overflow":0},"failure_percentage":{...}}}}. All zero and empty for a channel whose
 * policy does not detect outliers.
 */
public record OutlierDetectionDescriptor(List<Long> ejectedSubchannels, Map<String, Long> ejectionsEnforced,
        Map<String, Map<String, Long>> ejectionsUnenforced) {

    static OutlierDetectionDescriptor of(EjectionStats stats) {
        Map<String, Long> enforced = new LinkedHashMap<>();
        Map<String, Map<String, Long>> unenforced = new LinkedHashMap<>();
        for (DetectionMethod method : DetectionMethod.values()) {
            enforced.put(method.label(), stats.enforced(method));
            Map<String, Long> byReason = new LinkedHashMap<>();
            for (UnenforcedReason reason : UnenforcedReason.values()) {
                byReason.put(reason.label(), stats.unenforced(method, reason));
            }
            unenforced.put(method.label(), byReason);
        }
        return new OutlierDetectionDescriptor(stats.ejectedSubchannels().stream().sorted().toList(), enforced,
                unenforced);
    }
}
