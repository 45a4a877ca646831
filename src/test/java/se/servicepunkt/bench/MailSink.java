package se.servicepunkt.bench;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.util.HashMap;
import java.util.Map;

/**
 * The SMTP server the instances send to, in this JVM (GreenMail on 127.0.0.1): can be stopped and
 * started again on the same port, and counts every Message-ID it received across restarts.
 */
final class MailSink {
  private final int port;
  private final Map<String, Integer> received = new HashMap<>();
  private GreenMail server;

  MailSink(int port) {
    this.port = port;
  }

  synchronized void start() {
    server = new GreenMail(new ServerSetup(port, "127.0.0.1", "smtp"));
    server.start();
  }

  synchronized void stop() {
    collect();
    server.stop();
    server = null;
  }

  /** Message-ID → how many times it arrived. */
  synchronized Map<String, Integer> received() {
    collect();
    return Map.copyOf(received);
  }

  private void collect() {
    if (server == null) {
      return;
    }
    for (MimeMessage message : server.getReceivedMessages()) {
      try {
        received.merge(message.getMessageID(), 1, Integer::sum);
      } catch (MessagingException e) {
        received.merge("unreadable", 1, Integer::sum);
      }
    }
    try {
      server.purgeEmailFromAllMailboxes();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
