package se.servicepunkt.mail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** What an SMTP server said is kept and logged without the addresses it quoted. */
class SmtpErrorTextTest {
  @Test
  void addressesInAnSmtpErrorAreRemovedAndTheRestKept() {
    assertEquals("550 5.1.1 <[address]>: Recipient address rejected: User unknown",
        MailWorker.withoutAddresses("550 5.1.1 <anna.svensson@gotland.se>: Recipient address rejected: User unknown"));
    assertEquals("RCPT TO:[address] failed; from [address]",
        MailWorker.withoutAddresses("RCPT TO:bo+tag@example.com failed; from no-reply@servicepunkt.example"));
    assertEquals("Connection refused", MailWorker.withoutAddresses("Connection refused"));
    assertEquals("unknown error", MailWorker.withoutAddresses(null));
    assertTrue(MailWorker.withoutAddresses("x".repeat(900)).length() <= 500);
  }
}
