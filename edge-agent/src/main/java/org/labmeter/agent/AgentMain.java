package org.labmeter.agent;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.labmeter.agent.config.AgentConfig;
import org.labmeter.agent.config.AgentConfigLoader;
import org.labmeter.agent.datadir.DataDir;
import org.labmeter.agent.keys.AgentKeyFile;
import org.labmeter.wire.AgentPublicKey;

/**
 * The agent's commands as plain static methods, so that the {@code labmeter} launcher can wire them
 * to its command line and tests can call them directly.
 */
public final class AgentMain {
  private AgentMain() {}

  /**
   * Creates the agent key in {@code dataDir} if there is none, and prints its fingerprint and
   * public key for enrolment.
   */
  public static AgentPublicKey keygen(Path dataDir, PrintStream out) {
    AgentPublicKey key = AgentKeyFile.loadOrCreate(new DataDir(dataDir)).publicKey();
    print(key, out);
    return key;
  }

  public static AgentPublicKey keygen(Path dataDir) {
    return keygen(dataDir, System.out);
  }

  /**
   * Prints the fingerprint and public key of the existing key in {@code dataDir}.
   *
   * @throws org.labmeter.agent.keys.AgentKeyException when there is no readable key
   */
  public static AgentPublicKey fingerprint(Path dataDir, PrintStream out) {
    AgentPublicKey key = AgentKeyFile.load(new DataDir(dataDir)).publicKey();
    print(key, out);
    return key;
  }

  public static AgentPublicKey fingerprint(Path dataDir) {
    return fingerprint(dataDir, System.out);
  }

  /**
   * Loads the configuration, starts the agent and stops it cleanly when the JVM is asked to exit.
   */
  public static EdgeAgent run(Path configFile) {
    AgentConfig config = AgentConfigLoader.load(configFile);
    EdgeAgent agent = new EdgeAgent(config, new SimpleMeterRegistry());
    agent.start().join();
    return agent;
  }

  /** {@code run <config.yaml>}, {@code keygen <dataDir>} or {@code fingerprint <dataDir>}. */
  public static void main(String[] args) throws InterruptedException {
    if (args.length != 2) {
      System.err.println("usage: run <config.yaml> | keygen <dataDir> | fingerprint <dataDir>");
      System.exit(2);
    }
    Path path = Path.of(args[1]);
    switch (args[0]) {
      case "keygen" -> keygen(path);
      case "fingerprint" -> fingerprint(path);
      case "run" -> {
        EdgeAgent agent = run(path);
        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime()
            .addShutdownHook(
                new Thread(
                    () -> {
                      agent.stop().join();
                      done.countDown();
                    },
                    "labmeter-agent-shutdown"));
        done.await();
      }
      default -> {
        System.err.println("unknown command " + args[0]);
        System.exit(2);
      }
    }
  }

  private static void print(AgentPublicKey key, PrintStream out) {
    out.println("fingerprint: " + key.fingerprint());
    out.println("public key:  " + key.toBase64());
  }
}
