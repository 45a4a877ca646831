package se.servicepunkt.queue;

import java.util.List;

/**
 * The queue's rules from the configuration: how early and how late a booked visitor may check in,
 * how many ordinary visitors are called between two priority visitors, and the reasons a kiosk
 * may offer for a priority ticket.
 */
public record QueuePolicy(int checkInEarlyMinutes, int checkInLateMinutes, int priorityRatio,
                          List<String> priorityReasons) {
}
