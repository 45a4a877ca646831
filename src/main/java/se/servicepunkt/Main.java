package se.servicepunkt;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.HashMap;
import se.servicepunkt.config.AppConfig;
import se.servicepunkt.config.ConfigException;
import se.servicepunkt.config.ConfigLoader;
import se.servicepunkt.db.DatabaseException;
import se.servicepunkt.demo.DemoData;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar servicepunkt.jar [--config FILE] [--demo]}. A configuration, database or
 * port problem ends the process with one line on standard error and exit code 1.
 */
public final class Main {
  private Main() {
  }

  public static void main(String[] args) {
    Path configFile = null;
    var env = new HashMap<>(System.getenv());
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--config" -> {
          if (i + 1 >= args.length) {
            fail("--config needs a file name");
          }
          configFile = Path.of(args[++i]);
        }
        case "--demo" -> env.put("SP_DEMO", "true");
        case "--help", "-h" -> {
          System.out.println("usage: servicepunkt [--config FILE] [--demo]   (settings: see README, SP_* variables)");
          return;
        }
        default -> fail("unknown argument " + args[i] + " (try --help)");
      }
    }
    try {
      AppConfig config = ConfigLoader.load(configFile, env);
      Servicepunkt server = Servicepunkt.start(config);
      Runtime.getRuntime().addShutdownHook(new Thread(server::close, "servicepunkt-shutdown"));
      LoggerFactory.getLogger(Main.class).info("Ready {} ms after the JVM started",
          ManagementFactory.getRuntimeMXBean().getUptime());
      System.out.println();
      System.out.println("Servicepunkt is running at " + config.baseUrl() + "/");
      System.out.println("  service points: " + config.baseUrl() + "/api/v1/service-points");
      if (config.demo()) {
        System.out.println(DemoData.signInsText());
        System.out.println(DemoData.screenText(config.baseUrl()));
        System.out.println(DemoData.consoleText(config.baseUrl()));
      }
    } catch (ConfigException | DatabaseException | StartupException e) {
      fail(e.getMessage());
    }
  }

  private static void fail(String message) {
    System.err.println("servicepunkt: " + message);
    System.exit(1);
  }
}
