package se.servicepunkt.booking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import biweekly.Biweekly;
import biweekly.ICalendar;
import java.io.StringReader;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.temporal.Temporal;
import java.util.List;
import java.util.UUID;
import net.fortuna.ical4j.data.CalendarBuilder;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.Property;
import net.fortuna.ical4j.model.component.VEvent;
import net.fortuna.ical4j.model.property.DateProperty;
import org.junit.jupiter.api.Test;

/**
 * The calendar file of a booking means the booked instants to every reader, on the nights the
 * clocks change in Europe/Stockholm too: ical4j and biweekly, two independent parsers, must both
 * read exactly the booked start and end, for the download ({@code PUBLISH}) and for the e-mail
 * invitation and cancellation ({@code REQUEST}, {@code CANCEL} with an organizer).
 */
class CalendarFileTest {
  static final ZoneId STOCKHOLM = ZoneId.of("Europe/Stockholm");

  /** A booked appointment: its start and end with the offsets they have in Stockholm. */
  record Appointment(String why, String start, String end) {
  }

  static final List<Appointment> APPOINTMENTS = List.of(
      new Appointment("an ordinary morning", "2027-11-01T10:00+01:00", "2027-11-01T10:30+01:00"),
      new Appointment("ends when the clocks have jumped to 03:00", "2027-03-28T01:30+01:00", "2027-03-28T03:00+02:00"),
      new Appointment("spans the skipped spring hour", "2027-03-28T01:00+01:00", "2027-03-28T04:00+02:00"),
      new Appointment("the first 02:30 in October, ending at the second 02:00", "2027-10-31T02:30+02:00",
          "2027-10-31T02:00+01:00"),
      new Appointment("the second 02:30 in October", "2027-10-31T02:30+01:00", "2027-10-31T03:00+01:00"),
      new Appointment("wholly inside the first repeated hour", "2027-10-31T02:00+02:00", "2027-10-31T02:30+02:00"),
      new Appointment("from before the change into the second repeated hour", "2027-10-31T01:30+02:00",
          "2027-10-31T02:30+01:00"),
      new Appointment("spans the repeated hour, neither end in it", "2027-10-31T01:00+02:00", "2027-10-31T03:00+01:00"));

  static Booking booking(String start, String end, int sequence, String status) {
    return new Booking(UUID.fromString("0b6f3c1e-2d4a-4c8e-9f10-1a2b3c4d5e6f"), "K7XM-2QPD", new byte[32],
        UUID.randomUUID(), "Nattöppet kontor", STOCKHOLM, "Storgatan 1", "123 45", "Visby", UUID.randomUUID(),
        UUID.randomUUID(), "Nattärende", "Night errand", 120, UUID.randomUUID(), "desk", OffsetDateTime.parse(start),
        OffsetDateTime.parse(end), status, "sv", "Karin Karlsson", "karin@example.se", null, null, sequence,
        OffsetDateTime.parse("2027-10-01T12:00:00Z"));
  }

  @Test
  void everyReaderGetsTheBookedInstantsOnTheNightsTheClocksChange() throws Exception {
    for (Appointment a : APPOINTMENTS) {
      Booking booking = booking(a.start(), a.end(), 2, "active");
      for (CalendarFile.Method method : CalendarFile.Method.values()) {
        String ics = CalendarFile.of(booking, method, null, "https://sp.example/manage/K7XM-2QPD", "sp.example",
            "no-reply@sp.example");
        assertReadAs(booking, ics, a.why() + ", " + method);
      }
      assertReadAs(booking, CalendarFile.of(booking, CalendarFile.Method.PUBLISH, null,
          "https://sp.example/manage/K7XM-2QPD", "sp.example"), a.why() + ", download");
    }
  }

  @Test
  void everyTimeIsWrittenInUtcAndTheUidSequenceAndMethodStayAsTheyWere() throws Exception {
    Booking ordinary = booking("2027-11-01T10:00+01:00", "2027-11-01T10:30+01:00", 3, "active");
    String ics = CalendarFile.of(ordinary, CalendarFile.Method.REQUEST, null, "https://sp.example/m", "sp.example",
        "no-reply@sp.example");
    VEvent event = ical4jEvent(ics);
    assertEquals("0b6f3c1e-2d4a-4c8e-9f10-1a2b3c4d5e6f@sp.example", event.getProperty(Property.UID).orElseThrow().getValue());
    assertEquals("3", event.getProperty(Property.SEQUENCE).orElseThrow().getValue());
    assertTrue(ics.contains("\r\nMETHOD:REQUEST\r\n"), ics);
    assertTrue(ics.contains("\r\nDTSTART:20271101T090000Z\r\nDTEND:20271101T093000Z\r\n"), ics);
    assertFalse(ics.contains("TZID"), "no local time, so no time zone to define: " + ics);

    Booking cancelled = booking("2027-10-31T02:30+02:00", "2027-10-31T02:00+01:00", 4, "cancelled");
    String cancel = CalendarFile.of(cancelled, CalendarFile.Method.CANCEL, null, "https://sp.example/m", "sp.example",
        "no-reply@sp.example");
    VEvent withdrawn = ical4jEvent(cancel);
    assertEquals("0b6f3c1e-2d4a-4c8e-9f10-1a2b3c4d5e6f@sp.example", withdrawn.getProperty(Property.UID).orElseThrow().getValue());
    assertEquals("4", withdrawn.getProperty(Property.SEQUENCE).orElseThrow().getValue());
    assertEquals("CANCELLED", withdrawn.getProperty(Property.STATUS).orElseThrow().getValue());
    assertTrue(cancel.contains("\r\nMETHOD:CANCEL\r\n"), cancel);
    assertTrue(cancel.contains("\r\nDTSTART:20271031T003000Z\r\nDTEND:20271031T010000Z\r\n"), cancel);
  }

  /** Both parsers read exactly the booking's start and end. */
  static void assertReadAs(Booking booking, String ics, String what) throws Exception {
    assertReadAs(booking.start().toInstant(), booking.end().toInstant(), ics, what);
  }

  static void assertReadAs(Instant start, Instant end, String ics, String what) throws Exception {
    VEvent event = ical4jEvent(ics);
    assertEquals(start, ical4jInstant(event, Property.DTSTART), what + ": ical4j's start\n" + ics);
    assertEquals(end, ical4jInstant(event, Property.DTEND), what + ": ical4j's end\n" + ics);
    var biweekly = biweeklyEvent(ics);
    assertEquals(start, biweekly.getDateStart().getValue().toInstant(), what + ": biweekly's start\n" + ics);
    assertEquals(end, biweekly.getDateEnd().getValue().toInstant(), what + ": biweekly's end\n" + ics);
  }

  static VEvent ical4jEvent(String ics) throws Exception {
    Calendar calendar = new CalendarBuilder().build(new StringReader(ics));
    return (VEvent) calendar.getComponent("VEVENT").orElseThrow();
  }

  static Instant ical4jInstant(VEvent event, String property) {
    Temporal value = ((DateProperty<?>) event.getProperty(property).orElseThrow()).getDate();
    return Instant.from(value);
  }

  static biweekly.component.VEvent biweeklyEvent(String ics) {
    ICalendar calendar = Biweekly.parse(ics).first();
    assertEquals(1, calendar.getEvents().size());
    return calendar.getEvents().get(0);
  }
}
