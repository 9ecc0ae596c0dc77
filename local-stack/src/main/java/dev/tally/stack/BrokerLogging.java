package dev.tally.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The log4j2 configuration of the broker's JVM: everything into one file the developer can tail. */
final class BrokerLogging {

    private BrokerLogging() {
    }

    static void writeConfig(Path configFile, Path logFile) throws IOException {
        // shutdownHook="disable": Kafka logs its own orderly shutdown from a shutdown hook, and log4j's
        // hook would otherwise stop the appender first and lose exactly the lines that explain a slow stop.
        String xml = """
                <?xml version="1.0" encoding="UTF-8"?>
                <Configuration status="warn" shutdownHook="disable">
                  <Appenders>
                    <File name="file" fileName="%s" append="true" immediateFlush="true">
                      <PatternLayout pattern="[%%d] %%p %%m (%%c)%%n"/>
                    </File>
                  </Appenders>
                  <Loggers>
                    <Root level="info"><AppenderRef ref="file"/></Root>
                    <Logger name="kafka.request.logger" level="warn"/>
                    <Logger name="state.change.logger" level="warn"/>
                  </Loggers>
                </Configuration>
                """.formatted(xmlEscape(logFile.toAbsolutePath().toString()));
        Files.writeString(configFile, xml);
    }

    private static String xmlEscape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
