package dev.lbchannel.testing;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Captures everything lbchannel, Netty and gRPC log through java.util.logging, at every level
 * (FINEST included), with parameters and stack traces as text, until closed; the levels are put
 * back then. For proving that a value never reaches a log. Thread-safe.
 */
public final class CapturedLogs implements AutoCloseable {

    private static final List<String> LOGGERS = List.of("dev.lbchannel", "io.netty", "io.grpc");

    private final List<String> records = new CopyOnWriteArrayList<>();
    private final List<Level> previous = new ArrayList<>();
    /** Strong references: java.util.logging keeps loggers weakly, and would forget the levels set. */
    private final List<Logger> loggers = new ArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            StringBuilder text = new StringBuilder(record.getLevel() + " " + record.getLoggerName() + ": "
                    + record.getMessage());
            if (record.getParameters() != null) {
                text.append(' ').append(Arrays.deepToString(record.getParameters()));
            }
            if (record.getThrown() != null) {
                StringWriter trace = new StringWriter();
                record.getThrown().printStackTrace(new PrintWriter(trace));
                text.append('\n').append(trace);
            }
            records.add(text.toString());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    public CapturedLogs() {
        handler.setLevel(Level.ALL);
        for (String name : LOGGERS) {
            Logger logger = Logger.getLogger(name);
            loggers.add(logger);
            previous.add(logger.getLevel());
            logger.setLevel(Level.ALL);
            logger.addHandler(handler);
        }
    }

    /** Every record so far, as text. */
    public List<String> records() {
        return List.copyOf(records);
    }

    @Override
    public void close() {
        for (int i = 0; i < loggers.size(); i++) {
            loggers.get(i).removeHandler(handler);
            loggers.get(i).setLevel(previous.get(i));
        }
    }
}
