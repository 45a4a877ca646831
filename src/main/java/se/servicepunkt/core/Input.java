package se.servicepunkt.core;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Pattern;
import se.servicepunkt.core.Problem.FieldError;

/**
 * Reads and checks the fields of a request body or query string, collecting every error, so
 * that one answer names all offending fields. Each read returns {@code null} for a missing or
 * invalid value; {@link #done()} throws a 422 problem when anything was wrong.
 */
public final class Input {
  private static final Pattern EMAIL = Pattern.compile("^[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]{2,}$");
  private final JsonObject json;
  private final List<FieldError> errors = new ArrayList<>();

  private Input(JsonObject json) {
    this.json = json;
  }

  public static Input of(JsonObject json) {
    return new Input(json);
  }




  public JsonObject json() {
    return json;
  }

  public boolean has(String field) {
    return json.getValue(field) != null;
  }

  public Input error(String field, String message) {
    errors.add(new FieldError(field, message));
    return this;
  }

  /** Adds an error unless {@code condition} holds; for rules across fields. */
  public Input check(boolean condition, String field, String message) {
    if (!condition) {
      error(field, message);
    }
    return this;
  }

  public List<FieldError> errors() {
    return List.copyOf(errors);
  }

  /** A range of local dates: {@code to} on or after {@code from} and at most {@code maxDays} days in all. */
  public Input checkRange(LocalDate from, LocalDate to, int maxDays) {
    return check(from == null || to == null || !to.isBefore(from) && !to.isAfter(from.plusDays(maxDays - 1L)),
        "to", "must be on or after from, and at most " + maxDays + " days after it");
  }

  public boolean valid() {
    return errors.isEmpty();
  }

  public void done() {
    if (!errors.isEmpty()) {
      throw Problem.invalid(errors);
    }
  }

  public String text(String field, int maxLength) {
    return text(field, maxLength, true);
  }

  public String optionalText(String field, int maxLength) {
    return text(field, maxLength, false);
  }

  private String text(String field, int maxLength, boolean required) {
    Object value = json.getValue(field);
    if (value == null) {
      if (required) {
        error(field, "is required");
      }
      return null;
    }
    if (!(value instanceof String s)) {
      error(field, "must be a string");
      return null;
    }
    String trimmed = s.strip();
    if (trimmed.isEmpty()) {
      if (required) {
        error(field, "must not be blank");
      }
      return null;
    }
    if (trimmed.length() > maxLength) {
      error(field, "must be at most " + maxLength + " characters");
      return null;
    }
    if (trimmed.chars().anyMatch(c -> Character.isISOControl(c) && c != '\n')) {
      error(field, "must not contain control characters");
      return null;
    }
    return trimmed;
  }

  public String email(String field) {
    String value = text(field, 254);
    if (value != null && !EMAIL.matcher(value).matches()) {
      error(field, "must be an e-mail address");
      return null;
    }
    return value == null ? null : value.toLowerCase();
  }

  /** A new password: 12 to 200 characters, taken as given (not trimmed). */
  public String newPassword(String field, boolean required) {
    Object value = json.getValue(field);
    if (value == null) {
      if (required) {
        error(field, "is required");
      }
      return null;
    }
    if (!(value instanceof String s) || s.length() < 12 || s.length() > 200) {
      error(field, "must be a string of 12 to 200 characters");
      return null;
    }
    return s;
  }

  public String oneOf(String field, Set<String> allowed, String fallback) {
    Object value = json.getValue(field);
    if (value == null) {
      if (fallback == null) {
        error(field, "is required");
      }
      return fallback;
    }
    if (!(value instanceof String s) || !allowed.contains(s)) {
      error(field, "must be one of " + String.join(", ", allowed));
      return null;
    }
    return s;
  }

  /** A non-empty array of distinct strings, each one of {@code allowed}. */
  public List<String> someOf(String field, Set<String> allowed) {
    JsonArray array = array(field);
    if (array == null) {
      return null;
    }
    var result = new LinkedHashSet<String>();
    for (Object item : array) {
      if (!(item instanceof String s) || !allowed.contains(s)) {
        error(field, "may only contain " + String.join(", ", allowed));
        return null;
      }
      result.add(s);
    }
    if (result.isEmpty()) {
      error(field, "must not be empty");
      return null;
    }
    return List.copyOf(result);
  }

  /** An array of ids (possibly empty). */
  public List<UUID> ids(String field) {
    JsonArray array = array(field);
    if (array == null) {
      return null;
    }
    var result = new LinkedHashSet<UUID>();
    for (Object item : array) {
      UUID id = item instanceof String s ? parseUuid(s) : null;
      if (id == null) {
        error(field, "must be an array of ids");
        return null;
      }
      result.add(id);
    }
    return List.copyOf(result);
  }

  private JsonArray array(String field) {
    Object value = json.getValue(field);
    if (value == null) {
      error(field, "is required");
      return null;
    }
    if (!(value instanceof JsonArray array)) {
      error(field, "must be an array");
      return null;
    }
    if (array.size() > 1000) {
      error(field, "has too many items");
      return null;
    }
    return array;
  }

  public Integer integer(String field, int min, int max, Integer fallback) {
    Object value = json.getValue(field);
    if (value == null) {
      if (fallback == null) {
        error(field, "is required");
      }
      return fallback;
    }
    Long number = null;
    if (value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
      number = n.longValue();
    } else if (value instanceof String s && s.matches("-?\\d{1,10}")) {
      number = Long.parseLong(s);
    }
    if (number == null || number < min || number > max) {
      error(field, "must be a whole number from " + min + " to " + max);
      return null;
    }
    return number.intValue();
  }

  public Boolean bool(String field, Boolean fallback) {
    Object value = json.getValue(field);
    if (value == null) {
      if (fallback == null) {
        error(field, "is required");
      }
      return fallback;
    }
    if (value instanceof Boolean b) {
      return b;
    }
    if ("true".equals(value) || "false".equals(value)) {
      return Boolean.parseBoolean((String) value);
    }
    error(field, "must be true or false");
    return null;
  }

  public UUID id(String field) {
    return id(field, true);
  }

  public UUID optionalId(String field) {
    return id(field, false);
  }

  private UUID id(String field, boolean required) {
    String value = text(field, 36, required);
    if (value == null) {
      return null;
    }
    UUID id = parseUuid(value);
    if (id == null) {
      error(field, "must be an id");
    }
    return id;
  }

  public ZoneId zone(String field, String fallback) {
    if (!has(field) && fallback != null) {
      return ZoneId.of(fallback);
    }
    return parsed(field, 64, true, value -> {
      if (!value.contains("/")) {
        throw new DateTimeException("not a region");
      }
      return ZoneId.of(value);
    }, "must be an IANA time zone such as Europe/Stockholm");
  }

  public LocalTime time(String field) {
    return parsed(field, 8, true, value -> {
      if (!value.matches("\\d{2}:\\d{2}(:00)?")) {
        throw new DateTimeException("not HH:mm");
      }
      return LocalTime.parse(value);
    }, "must be a local time as HH:mm");
  }

  public LocalDate date(String field) {
    return parsed(field, 10, true, LocalDate::parse, "must be a date as YYYY-MM-DD");
  }

  public LocalDate optionalDate(String field) {
    return parsed(field, 10, false, LocalDate::parse, "must be a date as YYYY-MM-DD");
  }

  /** An instant with an explicit offset, e.g. {@code 2026-03-29T09:00:00+02:00}. */
  public OffsetDateTime instant(String field) {
    return parsed(field, 40, true, OffsetDateTime::parse, INSTANT_FORMAT);
  }

  public OffsetDateTime optionalInstant(String field) {
    return parsed(field, 40, false, OffsetDateTime::parse, INSTANT_FORMAT);
  }

  private static final String INSTANT_FORMAT =
      "must be a date and time with an offset, such as 2026-03-30T09:00:00+02:00";

  /** A text field turned into a value by {@code parser}; a {@link DateTimeException} from it is {@code message}. */
  private <T> T parsed(String field, int maxLength, boolean required, Function<String, T> parser, String message) {
    String value = text(field, maxLength, required);
    if (value == null) {
      return null;
    }
    try {
      return parser.apply(value);
    } catch (DateTimeException e) {
      error(field, message);
      return null;
    }
  }

  public static UUID parseUuid(String value) {
    if (value == null || value.length() != 36) {
      return null;
    }
    try {
      return UUID.fromString(value);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

}
